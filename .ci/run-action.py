#!/usr/bin/env python3
"""Run the shell steps of a composite GitHub Action (action.yml) the way the runner does.

Usage: run-action.py ACTION_DIR WORKDIR RESULT_JSON [input=value ...]

Emulates what the steps rely on: `${{ inputs.* }}`, `${{ github.action_path }}`,
`${{ github.action_ref }}` (from RUN_ACTION_REF; empty by default) and
`${{ steps.<id>.outputs.* }}` in `env:` and `outputs.*.value`; GITHUB_ACTION_PATH,
GITHUB_OUTPUT, GITHUB_PATH, GITHUB_STEP_SUMMARY and RUNNER_TEMP; `bash --noprofile --norc -eo
pipefail` for `shell: bash`. Steps stop at the first failure, like the runner. Any other
expression is an error, so a new construct in action.yml is noticed here instead of ignored.
Writes {"outputs", "failed_step", "exit_code", "summary", "log"} to RESULT_JSON ("log": what
the steps printed, stdout and stderr interleaved).
"""
import json
import os
import re
import subprocess
import sys
import tempfile

import yaml  # PyYAML, installed with pre-commit

EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def substitute(text, ctx):
    def one(m):
        expr = m.group(1)
        if expr.startswith("inputs."):
            return ctx["inputs"][expr[len("inputs."):]]
        if expr == "github.action_path":
            return ctx["action_path"]
        if expr == "github.action_ref":
            return os.environ.get("RUN_ACTION_REF", "")
        m2 = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expr)
        if m2:
            return ctx["steps"].get(m2.group(1), {}).get(m2.group(2), "")
        raise SystemExit(f"run-action.py: unsupported expression ${{{{ {expr} }}}}")

    return EXPR.sub(one, str(text))


def read_outputs(path):
    out = {}
    lines = open(path, encoding="utf-8").read().splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delim = line.split("<<", 1)
            i += 1
            buf = []
            while i < len(lines) and lines[i] != delim:
                buf.append(lines[i])
                i += 1
            out[name] = "\n".join(buf)
        elif "=" in line:
            name, value = line.split("=", 1)
            out[name] = value
        i += 1
    return out


def main():
    action_dir, workdir, result_path = sys.argv[1:4]
    overrides = dict(a.split("=", 1) for a in sys.argv[4:])
    with open(os.path.join(action_dir, "action.yml"), encoding="utf-8") as f:
        action = yaml.safe_load(f)
    inputs = {k: str(v.get("default", "")) for k, v in (action.get("inputs") or {}).items()}
    unknown = set(overrides) - set(inputs)
    if unknown:
        raise SystemExit(f"run-action.py: unknown inputs {sorted(unknown)}")
    inputs.update(overrides)
    tmp = tempfile.mkdtemp(prefix="action-")
    files = {n: os.path.join(tmp, n) for n in ("output", "path", "summary")}
    for p in files.values():
        open(p, "w").close()
    ctx = {"inputs": inputs, "action_path": os.path.abspath(action_dir), "steps": {}}
    path_prefix = []
    failed, code = None, 0
    log = []
    for n, step in enumerate(action["runs"]["steps"]):
        if "uses" in step or step.get("shell") != "bash":
            raise SystemExit(f"run-action.py: step {n} is not a bash step")
        if "if" in step:
            raise SystemExit(f"run-action.py: step {n}: `if` is not emulated")
        env = dict(os.environ)
        env["PATH"] = os.pathsep.join(path_prefix + [env.get("PATH", "")])
        open(files["output"], "w").close()
        env.update(
            GITHUB_ACTION_PATH=ctx["action_path"],
            GITHUB_OUTPUT=files["output"],
            GITHUB_PATH=files["path"],
            GITHUB_STEP_SUMMARY=files["summary"],
            GITHUB_ACTIONS="true",
            RUNNER_TEMP=tmp,
        )
        for k, v in (step.get("env") or {}).items():
            env[k] = substitute(v, ctx)
        cwd = os.path.join(workdir, step.get("working-directory", "."))
        name = step.get("name", step.get("id", n))
        print(f"--- action step: {name}", flush=True)
        r = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        out = r.stdout.decode("utf-8", "replace")
        print(out, end="", flush=True)
        log.append(out)
        if "id" in step:
            ctx["steps"][step["id"]] = read_outputs(files["output"])
        path_prefix = [l for l in open(files["path"]).read().splitlines() if l] [::-1] + path_prefix
        if r.returncode != 0:
            failed, code = step.get("id", str(n)), r.returncode
            break
    outputs = {k: substitute(v.get("value", ""), ctx) for k, v in (action.get("outputs") or {}).items()}
    result = {
        "outputs": outputs,
        "failed_step": failed,
        "exit_code": code,
        "summary": open(files["summary"], encoding="utf-8").read(),
        "log": "".join(log),
    }
    with open(result_path, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2)


if __name__ == "__main__":
    main()
