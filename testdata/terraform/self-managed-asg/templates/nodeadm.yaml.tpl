---
apiVersion: node.eks.aws/v1alpha1
kind: NodeConfig
spec:
  cluster:
    name: ${cluster_name}
  kubelet:
    config:
      maxPods: ${max_pods}
