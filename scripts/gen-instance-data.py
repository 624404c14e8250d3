#!/usr/bin/env python3
"""Regenerate eks-lint's instance table (data/*.csv) from local copies of the upstream files.

    scripts/gen-instance-data.py [--upstream DIR] [--out DIR]

DIR (default data/upstream) holds MANIFEST and the upstream files it lists, each as written
upstream or gzip-compressed (NAME.gz). MANIFEST says, per file, its role, repository, path,
commit and date; data/SOURCE.md describes them. To update the table: copy the newer upstream
files into data/upstream (gzip -9n), update MANIFEST, run this script, review the diff of
data/, and run `cargo test` (tests/instance_data.rs reruns this script and compares).

Standard library only, deterministic output (sorted rows, "\n" line ends).
"""
import argparse
import csv
import gzip
import io
import json
import os
import re
import sys

ROLES = ("vpc-cni-limits", "vpc-cni-max-pods", "nodeadm-instance-info", "vcpus")


def read_text(path):
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            return f.read()
    with gzip.open(path + ".gz", "rt", encoding="utf-8") as f:
        return f.read()


def read_manifest(upstream):
    """Lines `role file repo path commit date`; '#' starts a comment. vcpus lines in priority order."""
    entries = []
    for n, line in enumerate(read_text(os.path.join(upstream, "MANIFEST")).splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) != 6 or parts[0] not in ROLES:
            sys.exit(f"MANIFEST:{n}: expected `role file repo path commit date`, role one of {ROLES}")
        entries.append(dict(zip(("role", "file", "repo", "path", "commit", "date"), parts)))
    for role in ROLES:
        if not any(e["role"] == role for e in entries):
            sys.exit(f"MANIFEST: no `{role}` entry")
    return entries


ENTRY = re.compile(r'^\t"([^"]+)": \{$')
FIELD = re.compile(r"^\t\t(\w+):\s+(.*?),?$")
CARD = re.compile(r"MaximumNetworkInterfaces:\s+(\d+),\s*NetworkCardIndex:\s+(\d+)", re.S)


def parse_vpc_limits(text):
    """The Go map literal `instanceNetworkingLimits` of pkg/vpc/vpc_ip_resource_limit.go."""
    rows = {}
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        m = ENTRY.match(lines[i])
        if not m:
            i += 1
            continue
        name = m.group(1)
        body = []
        i += 1
        while lines[i] != "\t},":
            body.append(lines[i])
            i += 1
        fields = {}
        for b in body:
            f = FIELD.match(b)
            if f:
                fields[f.group(1)] = f.group(2)
        cards = sorted((int(ix), int(n)) for n, ix in CARD.findall("\n".join(body)))
        hv = fields["HypervisorType"].strip('"')
        rows[name] = {
            "max_enis": int(fields["ENILimit"]),
            "ipv4_per_eni": int(fields["IPv4Limit"]),
            "hypervisor": hv if hv in ("nitro", "xen") else "unknown",
            "bare_metal": fields["IsBareMetal"] == "true",
            "default_network_card_index": int(fields["DefaultNetworkCardIndex"]),
            "cards": [n for _, n in cards],
        }
    if not rows:
        sys.exit("vpc-cni-limits: no entries found (has the file format changed?)")
    return rows


def parse_max_pods(text):
    out = {}
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, pods = line.split()
            out[name] = int(pods)
    return out


def parse_nodeadm(text):
    out = {}
    for line in text.splitlines():
        if line.strip():
            j = json.loads(line)
            out[j["instanceType"]] = (j["defaultMaxENIs"], j["ipv4AddressesPerInterface"])
    return out


def parse_vcpus(text, path):
    """vCPUs (EC2 VCpuInfo.DefaultVCpus) from one of the known file shapes."""
    out = {}
    if path.endswith(".md"):  # Karpenter website/content/en/docs/reference/instance-types.md
        cur = None
        for line in text.splitlines():
            m = re.match(r"### `([^`]+)`", line)
            if m:
                cur = m.group(1)
            m = re.match(r"\s*\|karpenter\.k8s\.aws/instance-cpu\|(\d+)\|", line)
            if m and cur:
                out[cur] = int(m.group(1))
    elif path.endswith(".yaml"):  # clowdhaus/eksnode eksnode/files/ec2-instances.yaml
        cur = None
        for line in text.splitlines():
            m = re.match(r"^(\S+):$", line)
            if m:
                cur = m.group(1)
            m = re.match(r"^\s+default_vcpus: (\d+)$", line)
            if m and cur:
                out[cur] = int(m.group(1))
    elif path.endswith(".json"):  # getmoto/moto moto/ec2/resources/instance_types.json
        # DescribeInstanceTypes output of every region, keyed by type name.
        for name, t in json.loads(text).items():
            v = (t.get("VCpuInfo") or {}).get("DefaultVCpus")
            if isinstance(v, int):
                out[name] = v
    elif path.endswith(".go"):  # infracost internal/resources/aws/util.go InstanceTypeToVCPU
        m = re.search(r"var InstanceTypeToVCPU = map\[string\]int64\{(.*?)\n\}", text, re.S)
        if m:
            out = {k: int(v) for k, v in re.findall(r'"([^"]+)":\s+(\d+),', m.group(1))}
    if not out:
        sys.exit(f"vcpus: no vCPU counts found in {path}")
    return out


# The Karpenter labels a NodePool's requirements select on (values as Karpenter's generated
# reference lists them; computeRequirements in pkg/providers/instancetype/types.go sets them).
KARPENTER_LABELS = [
    ("kubernetes.io/arch", "arch"),
    ("kubernetes.io/os", "os"),
    ("karpenter.k8s.aws/instance-category", "category"),
    ("karpenter.k8s.aws/instance-family", "family"),
    ("karpenter.k8s.aws/instance-generation", "generation"),
    ("karpenter.k8s.aws/instance-size", "size"),
    ("karpenter.k8s.aws/instance-memory", "memory_mib"),
    ("karpenter.k8s.aws/instance-gpu-count", "gpu_count"),
]


def parse_karpenter_labels(text):
    """Per type, the labels of KARPENTER_LABELS from Karpenter's instance-types.md."""
    out, cur = {}, None
    keys = dict(KARPENTER_LABELS)
    for line in text.splitlines():
        m = re.match(r"### `([^`]+)`", line)
        if m:
            cur = m.group(1)
            out[cur] = {}
        m = re.match(r"\s*\|([^|]+)\|([^|]*)\|", line)
        if m and cur and m.group(1) in keys:
            out[cur][keys[m.group(1)]] = m.group(2)
    return out


def render(header, rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def b(v):
    return "true" if v else "false"


def generate(upstream):
    entries = read_manifest(upstream)
    by_role = lambda r: [e for e in entries if e["role"] == r]
    src = lambda e: read_text(os.path.join(upstream, e["file"]))
    limits = parse_vpc_limits(src(by_role("vpc-cni-limits")[0]))
    max_pods = parse_max_pods(src(by_role("vpc-cni-max-pods")[0]))
    nodeadm = parse_nodeadm(src(by_role("nodeadm-instance-info")[0]))
    problems = []
    # nodeadm's table must agree with the VPC CNI's where both list a type; a type only nodeadm
    # lists is added with what nodeadm knows (no hypervisor, one network card).
    for name, (e, l) in sorted(nodeadm.items()):
        r = limits.get(name)
        if r is None:
            limits[name] = {"max_enis": e, "ipv4_per_eni": l, "hypervisor": "unknown",
                            "bare_metal": name.endswith(".metal") or ".metal-" in name,
                            "default_network_card_index": 0, "cards": [e]}
        elif (r["max_enis"], r["ipv4_per_eni"]) != (e, l):
            problems.append(f"{name}: VPC CNI says {r['max_enis']}x{r['ipv4_per_eni']}, nodeadm {e}x{l}")
    vcpus, vsrc = {}, {}
    for e in by_role("vcpus"):
        for name, v in parse_vcpus(src(e), e["file"]).items():
            if name in limits and name not in vcpus:
                vcpus[name] = v
                vsrc[name] = e["repo"]
            elif name in vcpus and vcpus[name] != v:
                problems.append(f"{name}: {vsrc[name]} says {vcpus[name]} vCPUs, {e['repo']} {v}")
    for name, r in limits.items():
        want = max_pods.get(name)
        got = r["max_enis"] * (r["ipv4_per_eni"] - 1) + 2
        if want is not None and want != got:
            problems.append(f"{name}: eni-max-pods.txt says {want}, the limits give {got}")
    # Labels from the first Karpenter reference that lists a type (the newer one first).
    labels = {}
    for e in by_role("vcpus"):
        if e["file"].endswith(".md"):
            for name, l in parse_karpenter_labels(src(e)).items():
                if name in limits and name not in labels:
                    labels[name] = l
    if problems:
        sys.exit("upstream sources disagree:\n  " + "\n  ".join(problems))

    names = sorted(limits)
    eni = []
    pods = []
    pd = []
    vc = []
    for n in names:
        r = limits[n]
        e, l = r["max_enis"], r["ipv4_per_eni"]
        eni.append([n, e, l, r["hypervisor"], b(r["bare_metal"]), len(r["cards"]),
                    r["default_network_card_index"], ";".join(map(str, r["cards"])), sum(r["cards"])])
        pods.append([n, e * (l - 1) + 2])
        v = vcpus.get(n)
        nitro = r["hypervisor"] == "nitro"
        sec = e * (l - 1) + 2
        sec_cn = (e - 1) * (l - 1) + 2
        pd_max = e * ((l - 1) * 16) + 2 if nitro else sec
        pd_cn = (e - 1) * ((l - 1) * 16) + 2 if nitro else sec_cn
        ceiling = "" if v is None else (250 if v > 30 else 110)
        cap = lambda x: "" if v is None else min(ceiling, x)
        pd.append([n, "" if v is None else v, r["hypervisor"], b(r["bare_metal"]), b(nitro),
                   b(nitro or r["bare_metal"]), e, l, sec, sec_cn, pd_max, pd_cn, ceiling,
                   cap(sec), cap(pd_max), cap(pd_cn)])
        vc.append([n, "" if v is None else v, vsrc.get(n, "")])
    files = {
        "ec2-eni-limits.csv": render(["instance_type", "max_enis", "ipv4_per_eni", "hypervisor",
                                      "bare_metal", "network_cards", "default_network_card_index",
                                      "network_card_max_enis", "total_enis_all_cards"], eni),
        "eni-max-pods.csv": render(["instance_type", "max_pods"], pods),
        "max-pods-prefix-delegation.csv": render(
            ["instance_type", "vcpus", "hypervisor", "bare_metal", "calculator_pd_eligible",
             "ipamd_pd_supported", "max_enis", "ipv4_per_eni", "max_pods_secondary",
             "max_pods_secondary_custom_networking", "max_pods_pd_max_allowed",
             "max_pods_pd_custom_networking_max_allowed", "pod_ceiling_by_vcpu",
             "max_pods_secondary_recommended", "max_pods_pd_recommended",
             "max_pods_pd_custom_networking_recommended"], pd),
        "instance-vcpus.csv": render(["instance_type", "vcpus", "source"], vc),
        "karpenter-labels.csv": render(
            ["instance_type"] + [c for _, c in KARPENTER_LABELS],
            [[n] + [labels[n].get(c, "") for _, c in KARPENTER_LABELS] for n in names
             if n in labels]),
    }
    lim = by_role("vpc-cni-limits")[0]
    node = by_role("nodeadm-instance-info")[0]
    files["instance-data.txt"] = "".join(
        f"{k}={v}\n" for k, v in [
            ("date", lim["date"]),
            ("types", len(names)),
            ("vcpus_known", len(vcpus)),
            ("vpc_cni_commit", lim["commit"]),
            ("vpc_cni_date", lim["date"]),
            ("nodeadm_commit", node["commit"]),
            ("nodeadm_date", node["date"]),
        ])
    return files


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--upstream", default=os.path.join(root, "data", "upstream"))
    ap.add_argument("--out", default=os.path.join(root, "data"))
    a = ap.parse_args()
    for name, text in generate(a.upstream).items():
        with open(os.path.join(a.out, name), "w", encoding="utf-8", newline="\n") as f:
            f.write(text)


if __name__ == "__main__":
    main()
