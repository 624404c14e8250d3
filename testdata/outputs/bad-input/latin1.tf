variable "x" {
  default = "ÿþ latin-1 é"
}
