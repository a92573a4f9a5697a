import sys

from voxguard_ci.cli import main

sys.exit(main())
