"""Base images: the argv and Containerfile composition, and host probing against fake tools on PATH (no podman)."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest

from voxguard_ci.adapters import base_images
from voxguard_ci.adapters.base_images import BaseImage, build_argv, ensure_base_images, version_tag
from voxguard_ci.errors import InfrastructureError


def tool(bin_dir: Path, name: str, output: str) -> Path:
    path = bin_dir / name
    path.write_text(f"#!/bin/sh\nprintf '%s\\n' {' '.join(repr(line) for line in output.splitlines())}\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


@pytest.fixture
def fake_host(tmp_path) -> dict[str, str]:
    """A PATH holding only fake go, rustc, node, npm, pnpm and busybox, laid out as the real ones are."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    tool(bin_dir, "go", "go1.26.8\n/opt/go")
    tool(bin_dir, "busybox", "BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.")
    tool(bin_dir, "node", "v20.20.2")
    for package, script in (("npm", "npm-cli.js"), ("pnpm", "pnpm.cjs")):
        scripts = tmp_path / "lib/node_modules" / package / "bin"
        scripts.mkdir(parents=True)
        (bin_dir / package).symlink_to(tool(scripts, script, ""))
    # One rustc answers both `--version` and `--print sysroot`.
    tool(bin_dir, "rustc", "").write_text('#!/bin/sh\n[ "$1" = --print ] && echo /opt/rust && exit 0\n'
                                   'echo "rustc 1.95.0 (59807616e 2026-04-14)"\n')
    return {"PATH": str(bin_dir)}


def probe(env: dict[str, str], tmp_path: Path) -> dict[str, BaseImage]:
    run = base_images._Runner(env, tmp_path, log=lambda line: None)
    return {image.name: image for image in base_images.host_images(run)}


def test_version_tags_come_from_the_tools_own_words():
    assert version_tag("go1.26.8") == "1.26"
    assert version_tag("rustc 1.95.0 (59807616e 2026-04-14)") == "1.95"
    assert version_tag("20.20.2", 1) == "20"
    assert version_tag("BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.") == "1.35"
    with pytest.raises(InfrastructureError, match="cannot read a version"):
        version_tag("no digits here")


def test_host_probe_names_refs_contexts_and_args(fake_host, tmp_path):
    images = probe(fake_host, tmp_path)
    assert list(images) == ["debian", "golang", "rust", "node", "busybox"]
    assert {name: image.ref for name, image in images.items()} == {
        "debian": "localhost/voxguard-base/debian:bookworm-slim",
        "golang": "localhost/voxguard-base/golang:1.26",
        "rust": "localhost/voxguard-base/rust:1.95",
        "node": "localhost/voxguard-base/node:20",
        "busybox": "localhost/voxguard-base/busybox:1.35",
    }
    assert images["golang"].contexts == {"goroot": Path("/opt/go")}
    assert images["golang"].args == {"BASE": images["debian"].ref, "VERSION": "1.26.8"}
    assert images["rust"].contexts == {"rust": Path("/opt/rust")}
    node = images["node"]
    assert node.contexts == {"node": tmp_path / "bin", "npm": tmp_path / "lib/node_modules/npm",
                             "pnpm": tmp_path / "lib/node_modules/pnpm"}
    assert node.args["VERSION"] == "20.20.2" and node.args["NODE_BINARY"] == "node"
    assert "BASE" not in images["busybox"].args  # FROM scratch: an unused build arg only draws a warning


def test_every_containerfile_uses_exactly_the_contexts_and_args_it_is_given(fake_host, tmp_path):
    for image in list(probe(fake_host, tmp_path).values())[1:]:
        text = image.containerfile
        assert set(re.findall(r"--from=(\w+)", text)) == set(image.contexts), image.name
        declared = set(re.findall(r"^ARG (\w+)", text, flags=re.MULTILINE))
        assert declared == set(image.args), image.name
        first = text.splitlines()[1 if text.startswith("ARG BASE") else 0]
        assert first == ("FROM ${BASE}" if "BASE" in image.args else "FROM scratch")


def test_build_argv_is_one_podman_build_with_no_pull_and_sorted_contexts_and_args(tmp_path):
    image = BaseImage("node", "localhost/voxguard-base/node:20", "FROM x\n",
                      {"pnpm": Path("/p"), "node": Path("/usr/bin")}, {"VERSION": "20.20.2", "BASE": "b:1"})
    argv = build_argv(image, tmp_path)
    assert argv == ["podman", "build", "--pull=never", "--tag", "localhost/voxguard-base/node:20",
                    "--file", str(tmp_path / "Containerfile"),
                    "--build-context", "node=/usr/bin", "--build-context", "pnpm=/p",
                    "--build-arg", "BASE=b:1", "--build-arg", "VERSION=20.20.2", str(tmp_path)]
    assert "--no-cache" in build_argv(image, tmp_path, force=True)


def test_debootstrap_argv_is_minbase_with_python_and_certificates(tmp_path):
    assert base_images.debootstrap_argv(tmp_path) == [
        "debootstrap", "--variant=minbase", "--include=ca-certificates,python3,python3-venv", "bookworm",
        str(tmp_path), "http://deb.debian.org/debian"]


def test_slimming_keeps_copyrights_and_excludes_docs_from_later_installs(tmp_path):
    root = tmp_path / "root"
    for path in ("usr/share/doc/bash/copyright", "usr/share/doc/bash/README", "usr/share/man/man1/ls.1.gz",
                 "var/lib/apt/lists/deb.debian.org_Packages", "var/cache/apt/archives/bash.deb",
                 "etc/resolv.conf", "etc/dpkg/dpkg.cfg.d/excludes", "usr/bin/bash"):
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text("x")
    (root / "dev/pts").mkdir(parents=True)
    (root / "dev/fd").symlink_to("/proc/self/fd")
    base_images._slim(root)
    left = sorted(str(p.relative_to(root)) for p in root.rglob("*") if not p.is_dir())
    assert left == ["etc/dpkg/dpkg.cfg.d/excludes", "etc/dpkg/dpkg.cfg.d/voxguard-slim", "usr/bin/bash",
                    "usr/share/doc/bash/copyright"]
    assert not list((root / "dev").iterdir())
    assert "path-include /usr/share/doc/*/copyright" in (root / "etc/dpkg/dpkg.cfg.d/voxguard-slim").read_text()


def test_a_missing_tool_is_an_infrastructure_error_naming_the_image_and_command(tmp_path):
    with pytest.raises(InfrastructureError) as caught:
        ensure_base_images({"PATH": str(tmp_path)}, log=lambda line: None)
    assert str(caught.value) == "base image golang: `go env GOVERSION GOROOT` failed: go: not found on PATH"


def test_a_failing_podman_names_the_image_the_command_and_its_output(fake_host, tmp_path):
    podman = tool(Path(fake_host["PATH"]), "podman", "")
    podman.write_text("#!/bin/sh\necho 'Error: storage is broken' >&2\nexit 125\n")
    with pytest.raises(InfrastructureError) as caught:
        ensure_base_images(fake_host, log=lambda line: None)
    message = str(caught.value)
    assert message.startswith("base image debian: `podman image exists localhost/voxguard-base/debian:bookworm-slim`"
                              " failed: podman: exited with code 125")
    assert message.endswith("\n  Error: storage is broken")
