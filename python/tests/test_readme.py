"""The README's Python example, executed as written (from the repository's root)."""

import os
import re


def test_readme_python_example_runs(root, capsys):
    readme = (root / "README.md").read_text()
    match = re.search(r"<!-- python-example -->\s*```python\n(.*?)```", readme, re.S)
    assert match, "README.md has no ```python block after <!-- python-example -->"
    cwd = os.getcwd()
    os.chdir(root)
    try:
        exec(compile(match.group(1), "README.md", "exec"), {})
    finally:
        os.chdir(cwd)
    assert "solved" in capsys.readouterr().out
