"""The pure core and the adapters never import Prefect (DESIGN: three layers, data flows one way)."""

import pkgutil
import subprocess
import sys

import voxguard_ci.adapters
import voxguard_ci.core


def modules(package) -> list[str]:
    return [m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]


def test_core_and_adapters_do_not_import_prefect():
    names = modules(voxguard_ci.core) + modules(voxguard_ci.adapters)
    code = "import sys\n" + "".join(f"import {n}\n" for n in names) + "print('prefect' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
    assert len(names) >= 8
