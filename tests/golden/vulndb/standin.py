"""A local stand-in for the vulnerability endpoints this machine cannot reach, used only to make golden files.

    python tests/golden/vulndb/standin.py PORT

serves on 127.0.0.1:PORT, from the advisory files beside this script:

- `POST /v1/query`: the OSV API as pip-audit calls it (`pip-audit -s osv --osv-url http://127.0.0.1:PORT/v1/query`),
  answered from `osv/pypi.json`;
- `POST /-/npm/v1/security/advisories/bulk`: npm 7+'s bulk advisory endpoint (`npm audit --registry`),
  answered from `npm/advisories.json`; npm itself works out which installed versions are affected;
- `POST /-/npm/v1/security/audits/quick`: the npm v6 audit endpoint that pnpm calls (`pnpm audit --registry`):
  this stand-in walks the submitted dependency tree and reports the advisories whose ranges match;
- any `GET`: proxied to the public npm registry (npm fetches packuments to work out fixes).

The tools' output is their own; only the advisory data and this endpoint are ours.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).parent
NPM = json.loads((HERE / "npm" / "advisories.json").read_text())
OSV = json.loads((HERE / "osv" / "pypi.json").read_text())
UPSTREAM = "https://registry.npmjs.org"


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text.split("-")[0])[:3])


def satisfies(version: str, spec: str) -> bool:
    """npm-style ranges as the advisories write them: `<1.2.3`, `>=1.0.0 <1.2.6`, joined by `||`."""
    for alternative in spec.split("||"):
        ok = True
        for comparator in alternative.split():
            op, bound = re.match(r"(<=|>=|<|>|=)?(.*)", comparator).groups()
            a, b = _version(version), _version(bound)
            ok &= {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}.get(op or "=", a == b)
        if ok:
            return True
    return False


def _osv_affects(entry: dict, name: str, version: str) -> bool:
    for affected in entry["affected"]:
        if affected["package"]["name"] != name:
            continue
        for rng in affected.get("ranges", []):
            events = rng["events"]
            low = next((e["introduced"] for e in events if "introduced" in e), "0")
            high = next((e["fixed"] for e in events if "fixed" in e), None)
            if _version(version) >= _version(low) and (high is None or _version(version) < _version(high)):
                return True
    return False


def _quick_audit(tree: dict) -> dict:
    advisories: dict[str, dict] = {}
    counts = {"info": 0, "low": 0, "moderate": 0, "high": 0, "critical": 0}
    total = {"dependencies": 0, "devDependencies": 0}

    def walk(deps: dict, path: list[str]) -> None:
        for name, node in deps.items():
            total["devDependencies" if node.get("dev") else "dependencies"] += 1
            for adv in NPM:
                if adv["module_name"] == name and satisfies(node["version"], adv["vulnerable_versions"]):
                    entry = advisories.setdefault(str(adv["id"]), {**adv, "findings": []})
                    entry["findings"].append(
                        {
                            "version": node["version"],
                            "paths": [">".join(p for p in [*path, name] if p != ".")],
                        }
                    )
            walk(node.get("dependencies", {}), [*path, name])

    walk(tree.get("dependencies", {}), [])
    for adv in advisories.values():
        counts[adv["severity"]] += 1
    return {
        "actions": [],
        "advisories": advisories,
        "muted": [],
        "metadata": {
            "vulnerabilities": counts,
            "dependencies": total["dependencies"],
            "devDependencies": total["devDependencies"],
            "optionalDependencies": 0,
            "totalDependencies": total["dependencies"] + total["devDependencies"],
        },
    }


class Handler(BaseHTTPRequestHandler):
    def _body(self) -> dict:
        raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("Content-Encoding") == "gzip":
            raw = gzip.decompress(raw)
        return json.loads(raw or b"{}")

    def _send(self, status: int, payload: object) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        body = self._body()
        if self.path == "/v1/query":
            name, version = body["package"]["name"], body["version"]
            vulns = [e for e in OSV if _osv_affects(e, name, version)]
            self._send(200, {"vulns": vulns} if vulns else {})
        elif self.path.endswith("/security/advisories/bulk"):
            keep = ("id", "url", "title", "severity", "vulnerable_versions", "cwe", "cvss")
            found = {
                name: [{k: a[k] for k in keep} for a in NPM if a["module_name"] == name] for name in body
            }
            self._send(200, {name: advs for name, advs in found.items() if advs})
        elif self.path.endswith("/security/audits/quick"):
            self._send(200, _quick_audit(body))
        else:
            self._send(404, {"error": "not found"})

    def do_GET(self) -> None:
        request = urllib.request.Request(
            UPSTREAM + self.path, headers={"Accept": self.headers.get("Accept", "*/*")}
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                data, status, ctype = response.read(), response.status, response.headers.get("Content-Type")
        except urllib.error.HTTPError as exc:
            data, status, ctype = exc.read(), exc.code, exc.headers.get("Content-Type")
        self.send_response(status)
        self.send_header("Content-Type", ctype or "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
