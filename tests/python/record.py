"""Records what CPython prints for each tests/python/cases/NAME.py into
expected/NAME.out (the developer tool; tests/python_outputs.rs compares the
tutor's output with these files and never runs python3)."""
import pathlib
import subprocess
import sys

here = pathlib.Path(__file__).parent
names = sys.argv[1:] or [p.stem for p in sorted((here / "cases").glob("*.py"))]
for name in names:
    case = here / "cases" / f"{name}.py"
    out = subprocess.run([sys.executable, str(case)], capture_output=True, text=True, check=True)
    (here / "expected" / f"{name}.out").write_text(out.stdout)
    print(f"recorded {name} with Python {sys.version.split()[0]}")
