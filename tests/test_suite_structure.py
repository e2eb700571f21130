"""The suite's own shape: what tests share lives in tests/support, and no test module imports another.

A test module that imports another runs that module's fixtures and tests in two places, and hides
what the shared code is; the shared code belongs in tests.support (its __init__ says what is where).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

TESTS = Path(__file__).resolve().parent
SUPPORT = TESTS / "support"
# Besides test modules, conftest.py and __init__.py: the load tool behind ``make soak`` (python -m tests.soak),
# which tests/reliability/test_soak.py runs at a short length.
TOOLS = {TESTS / "soak.py"}


def _modules() -> Iterator[Path]:
    yield from sorted(path for path in TESTS.rglob("*.py") if "__pycache__" not in path.parts)


def _dotted(path: Path, root: Path = TESTS.parent) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(path: Path, root: Path = TESTS.parent) -> Iterator[tuple[int, str]]:
    """Every module ``path`` imports, absolute, with its line: also imports inside functions, and the
    modules named in ``from package import module`` (with the names, which may be modules)."""
    dotted = _dotted(path, root)
    package = dotted if path.name == "__init__.py" else dotted.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            yield node.lineno, module
            for alias in node.names:
                yield node.lineno, f"{module}.{alias.name}"


def _is_test_module(dotted: str) -> bool:
    last = dotted.rpartition(".")[2]
    return last.startswith("test_") or last == "conftest"


def test_it_finds_the_test_modules_and_the_support_package():
    modules = list(_modules())

    assert TESTS / "conftest.py" in modules
    assert SUPPORT / "pages.py" in modules
    assert sum(path.name.startswith("test_") for path in modules) > 100


def test_it_sees_a_relative_import_and_one_inside_a_function(tmp_path):
    package = tmp_path / "tests" / "visits"
    package.mkdir(parents=True)
    module = package / "test_example.py"
    module.write_text("from .test_other import thing\n\ndef test_x():\n    from tests.staff import test_login\n")

    found = {name for _line, name in _imported(module, tmp_path)}

    assert {"tests.visits.test_other", "tests.staff.test_login"} <= found


def test_no_module_imports_a_test_module_or_a_conftest():
    offences = [
        f"{path.relative_to(TESTS.parent)}:{line} imports {name}"
        for path in _modules()
        for line, name in _imported(path)
        if name.startswith("tests.") and _is_test_module(name)
    ]

    assert not offences, "Move what is shared into tests/support:\n" + "\n".join(offences)


def test_test_modules_share_code_only_through_the_support_package():
    offences = [
        f"{path.relative_to(TESTS.parent)}:{line} imports {name}"
        for path in _modules()
        if SUPPORT not in path.parents
        for line, name in _imported(path)
        if name.startswith("tests.")
        and not name.startswith("tests.support")
        and name not in {_dotted(tool) for tool in TOOLS}
    ]

    assert not offences, "Shared test code belongs in tests/support:\n" + "\n".join(offences)


def test_every_helper_module_lives_in_the_support_package():
    stray = [
        str(path.relative_to(TESTS.parent))
        for path in _modules()
        if SUPPORT not in path.parents
        and path not in TOOLS
        and not path.name.startswith("test_")
        and path.name not in {"conftest.py", "__init__.py"}
    ]

    assert not stray, f"Helpers outside tests/support (move them there): {stray}"


def test_the_support_package_imports_no_test_module():
    # The support package is below the tests: it may not reach back up into one.
    offences = [
        f"{path.relative_to(TESTS.parent)}:{line} imports {name}"
        for path in SUPPORT.rglob("*.py")
        for line, name in _imported(path)
        if name.startswith("tests.") and not name.startswith("tests.support")
    ]

    assert not offences, offences
