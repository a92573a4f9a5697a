"""Local base images for the example's Dockerfiles, built from this host when no public registry is reachable.

`ensure_base_images(env)` makes sure these exist in local Podman storage and returns {short name: image ref}:

    debian   localhost/voxguard-base/debian:bookworm-slim  debootstrap minbase + ca-certificates, python3, venv
    golang   localhost/voxguard-base/golang:<go minor>     debian + the host's GOROOT at /usr/local/go
    rust     localhost/voxguard-base/rust:<rustc minor>    debian + gcc, libc6-dev + the host's toolchain (bin, lib)
    node     localhost/voxguard-base/node:<node major>     debian + the host's node, npm and pnpm
    busybox  localhost/voxguard-base/busybox:<minor>       scratch + the host's static busybox, applets installed

Tags come from the host tools (`go env GOVERSION`, `rustc --version`, `node --version`, `busybox --help`), so a
tag never claims a version the image does not hold; the Debian suite is a constant, and must be the host's
release because the toolchains copied in are the host's binaries. An image already present is not rebuilt
unless `force`.

The Debian root file system is bootstrapped straight into a buildah working container's mount and committed,
so no rootfs tarball is ever written. The host's own CA certificates (`/usr/local/share/ca-certificates`, e.g.
a TLS-intercepting egress proxy's) are added to its trust store, so that apt, pip, go and cargo inside builds
work with their defaults; the node image points `NODE_EXTRA_CA_CERTS` at the system bundle, since Node keeps
its own. The toolchain images are `podman build`s whose toolchain directories come in as named build contexts
(`--build-context`), copied into the image: every image is self-contained.
"""

from __future__ import annotations

import re
import shlex
import shutil
import tempfile
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from voxguard_ci.adapters.runner import run_command
from voxguard_ci.core.models import StepStatus
from voxguard_ci.errors import InfrastructureError

NAMESPACE = "localhost/voxguard-base"
DEBIAN_SUITE = "bookworm"
DEBIAN_MIRROR = "http://deb.debian.org/debian"
DEBIAN_PACKAGES = ("ca-certificates", "python3", "python3-venv")
HOST_CA_DIR = Path("/usr/local/share/ca-certificates")
DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
PROBE_TIMEOUT = 60.0
BUILD_TIMEOUT = 1800.0

# As Debian's official slim images: no docs (but copyrights), man pages or translations, now or after apt-get.
SLIM_DPKG_EXCLUDES = """\
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
"""
# Left by debootstrap: downloaded .debs, package lists, host files, device nodes (the runtime mounts /dev).
SLIM_REMOVE = ("var/cache/apt/archives/*.deb", "var/cache/apt/*.bin", "var/lib/apt/lists/*", "usr/share/man/*",
               "usr/share/info/*", "usr/share/locale/*", "usr/share/lintian/*", "dev/*", "etc/resolv.conf",
               "etc/hostname")

GOLANG_CONTAINERFILE = f"""\
ARG BASE
FROM ${{BASE}}
ARG VERSION
COPY --from=goroot . /usr/local/go
ENV GOLANG_VERSION=${{VERSION}} GOTOOLCHAIN=local GOPATH=/go PATH=/go/bin:/usr/local/go/bin:{DEFAULT_PATH}
RUN mkdir -p /go/src /go/bin && chmod -R 1777 /go && go version
WORKDIR /go
"""

RUST_CONTAINERFILE = f"""\
ARG BASE
FROM ${{BASE}}
ARG VERSION
RUN apt-get update \\
 && apt-get install -y --no-install-recommends gcc libc6-dev \\
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin
COPY --from=rust bin /usr/local/rust/bin
COPY --from=rust lib /usr/local/rust/lib
ENV RUST_VERSION=${{VERSION}} CARGO_HOME=/usr/local/cargo \\
    PATH=/usr/local/cargo/bin:/usr/local/rust/bin:{DEFAULT_PATH}
RUN mkdir -p /usr/local/cargo/bin && chmod -R a+w /usr/local/cargo && cargo --version && rustc --version
"""

NODE_CONTAINERFILE = """\
ARG BASE
FROM ${BASE}
ARG VERSION
ARG NODE_BINARY=node
COPY --from=node ${NODE_BINARY} /usr/local/bin/node
COPY --from=npm . /usr/local/lib/node_modules/npm
COPY --from=pnpm . /usr/local/lib/node_modules/pnpm
RUN cd /usr/local/bin \\
 && ln -s ../lib/node_modules/npm/bin/npm-cli.js npm \\
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js npx \\
 && ln -s ../lib/node_modules/pnpm/bin/pnpm.cjs pnpm \\
 && ln -s ../lib/node_modules/pnpm/bin/pnpx.cjs pnpx \\
 && node --version && npm --version && pnpm --version
ENV NODE_VERSION=${VERSION} NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
CMD ["node"]
"""

BUSYBOX_CONTAINERFILE = """\
FROM scratch
ARG BUSYBOX_BINARY=busybox
COPY --from=busybox ${BUSYBOX_BINARY} /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
RUN mkdir -p /etc /root /home /tmp /var/www && chmod 1777 /tmp \\
 && printf 'root:x:0:0:root:/root:/bin/sh\\nnobody:x:65534:65534:nobody:/home:/bin/false\\n' > /etc/passwd \\
 && printf 'root:x:0:\\nnobody:x:65534:\\n' > /etc/group
CMD ["sh"]
"""


@dataclass(frozen=True)
class BaseImage:
    """One base image: its ref, and how to build it (no Containerfile: bootstrapped with debootstrap)."""

    name: str
    ref: str
    containerfile: str = ""
    contexts: Mapping[str, Path] = field(default_factory=dict)
    args: Mapping[str, str] = field(default_factory=dict)


def build_argv(image: BaseImage, workdir: Path, *, force: bool = False) -> list[str]:
    """The `podman build` argv for a Containerfile image whose text is written to `workdir/Containerfile`."""
    argv = ["podman", "build", "--pull=never", "--tag", image.ref, "--file", str(workdir / "Containerfile")]
    if force:
        argv.append("--no-cache")
    for name, path in sorted(image.contexts.items()):
        argv += ["--build-context", f"{name}={path}"]
    for name, value in sorted(image.args.items()):
        argv += ["--build-arg", f"{name}={value}"]
    return [*argv, str(workdir)]


def debootstrap_argv(root: Path, suite: str = DEBIAN_SUITE) -> list[str]:
    return ["debootstrap", "--variant=minbase", f"--include={','.join(DEBIAN_PACKAGES)}", suite, str(root),
            DEBIAN_MIRROR]


def version_tag(text: str, parts: int = 2) -> str:
    """'go1.26.8' -> '1.26', 'v20.20.2' (parts=1) -> '20'; the first dotted number in `text`."""
    match = re.search(r"\d+(?:\.\d+)*", text)
    if match is None:
        raise InfrastructureError(f"cannot read a version from {text!r}")
    return ".".join(match.group().split(".")[:parts])


class _Runner:
    """Runs argv lists through the project's runner, raising InfrastructureError naming the image on failure."""

    def __init__(self, env: Mapping[str, str], cwd: Path, log: Callable[[str], None]) -> None:
        self.env, self.cwd, self.log = env, cwd, log

    def __call__(self, image: str, argv: Sequence[str], *, quiet: bool = True, timeout: float = PROBE_TIMEOUT,
                 ok_codes: Sequence[int] = (0,)) -> tuple[int | None, list[str]]:
        lines: list[str] = []

        def on_line(line: str) -> None:
            lines.append(line)
            if not quiet:
                self.log(f"[{image}] {line}")

        result = run_command(argv, cwd=self.cwd, env=self.env, timeout=timeout, on_line=on_line, ok_codes=ok_codes)
        if result.status is not StepStatus.PASSED:
            tail = "\n".join(f"  {line}" for line in result.log_tail[-15:])
            raise InfrastructureError(f"base image {image}: `{shlex.join(result.argv)}` failed: {result.reason}"
                                      + (f"\n{tail}" if tail else ""))
        return result.exit_code, lines

    def which(self, image: str, program: str) -> Path:
        found = shutil.which(program, path=self.env.get("PATH", ""))
        if found is None:
            raise InfrastructureError(f"base image {image}: {program} is not on PATH; it is copied from the host")
        return Path(found).resolve()


def host_images(run: _Runner) -> list[BaseImage]:
    """The five images, the Debian root first, with versions and toolchain paths read from the host."""
    debian = BaseImage("debian", f"{NAMESPACE}/debian:{DEBIAN_SUITE}-slim")
    on_debian = {"BASE": debian.ref}

    go_version, goroot = run("golang", ["go", "env", "GOVERSION", "GOROOT"])[1][:2]
    rust_version = run("rust", ["rustc", "--version"])[1][0].split()[1]
    sysroot = run("rust", ["rustc", "--print", "sysroot"])[1][0]
    node, npm, pnpm = (run.which("node", program) for program in ("node", "npm", "pnpm"))
    node_version = run("node", [str(node), "--version"])[1][0].lstrip("v")
    busybox = run.which("busybox", "busybox")
    busybox_banner = run("busybox", [str(busybox), "--help"])[1][0]
    return [
        debian,
        BaseImage("golang", f"{NAMESPACE}/golang:{version_tag(go_version)}", GOLANG_CONTAINERFILE,
                  {"goroot": Path(goroot)}, {**on_debian, "VERSION": go_version.removeprefix("go")}),
        BaseImage("rust", f"{NAMESPACE}/rust:{version_tag(rust_version)}", RUST_CONTAINERFILE,
                  {"rust": Path(sysroot)}, {**on_debian, "VERSION": rust_version}),
        # npm-cli.js and pnpm.cjs live in <package>/bin/: the package is two levels up.
        BaseImage("node", f"{NAMESPACE}/node:{version_tag(node_version, 1)}", NODE_CONTAINERFILE,
                  {"node": node.parent, "npm": npm.parents[1], "pnpm": pnpm.parents[1]},
                  {**on_debian, "VERSION": node_version, "NODE_BINARY": node.name}),
        BaseImage("busybox", f"{NAMESPACE}/busybox:{version_tag(busybox_banner)}", BUSYBOX_CONTAINERFILE,
                  {"busybox": busybox.parent}, {"BUSYBOX_BINARY": busybox.name}),
    ]


def _slim(root: Path) -> None:
    for pattern in SLIM_REMOVE:
        for path in root.glob(pattern):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
    for path in (root / "usr/share/doc").rglob("*"):
        if path.name != "copyright" and (path.is_symlink() or path.is_file()):
            path.unlink()
    (root / "etc/dpkg/dpkg.cfg.d/voxguard-slim").write_text(SLIM_DPKG_EXCLUDES)


def _bootstrap(image: BaseImage, run: _Runner) -> None:
    """debootstrap into a buildah working container's mount, trust the host's CAs, slim it, commit it."""
    container = f"voxguard-base-{uuid.uuid4().hex[:12]}"
    run(image.name, ["buildah", "from", "--name", container, "scratch"])
    try:
        root = Path(run(image.name, ["buildah", "mount", container])[1][-1])
        if not root.is_absolute() or root == Path("/") or not root.is_dir() or any(root.iterdir()):
            raise InfrastructureError(f"base image {image.name}: `buildah mount` gave {root}, not an empty root")
        run(image.name, debootstrap_argv(root), quiet=False, timeout=BUILD_TIMEOUT)
        certificates = sorted(HOST_CA_DIR.glob("*.crt"))
        for certificate in certificates:
            shutil.copy2(certificate, root / "usr/local/share/ca-certificates" / certificate.name)
        if certificates:
            run(image.name, ["chroot", str(root), "update-ca-certificates"], quiet=False)
        _slim(root)
        run(image.name, ["buildah", "config", "--cmd", '["bash"]', "--env", f"PATH={DEFAULT_PATH}",
                         "--env", "LANG=C.UTF-8", container])
        run(image.name, ["buildah", "commit", "--rm", container, image.ref], quiet=False, timeout=BUILD_TIMEOUT)
    finally:
        run_command(["buildah", "rm", container], cwd=run.cwd, env=run.env, timeout=PROBE_TIMEOUT,
                    ok_codes=range(256))


def ensure_base_images(env: Mapping[str, str], *, force: bool = False,
                       log: Callable[[str], None] = print) -> dict[str, str]:
    """Build whichever base image is missing (every one if `force`); return {short name: image ref}.

    `env` is the exact environment of every command: it needs PATH (podman, buildah, debootstrap, chroot and
    the host toolchains) and, where Podman needs one, CONTAINERS_CONF.
    """
    with tempfile.TemporaryDirectory(prefix="voxguard-base-") as tmp:
        run = _Runner(env, Path(tmp), log)
        images = host_images(run)
        for image in images:
            exit_code, _ = run(image.name, ["podman", "image", "exists", image.ref], ok_codes=(0, 1))
            if exit_code == 0 and not force:
                log(f"{image.ref}: present")
                continue
            log(f"{image.ref}: building")
            if not image.containerfile:
                _bootstrap(image, run)
                continue
            workdir = Path(tmp) / image.name
            workdir.mkdir()
            (workdir / "Containerfile").write_text(image.containerfile)
            run(image.name, build_argv(image, workdir, force=force), quiet=False, timeout=BUILD_TIMEOUT)
        return {image.name: image.ref for image in images}


__all__ = ["NAMESPACE", "BaseImage", "build_argv", "ensure_base_images", "host_images", "version_tag"]
