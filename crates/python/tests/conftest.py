"""Fixtures of the pytest suite: the dev data in ../shared and the CLI binary.

Tests that read ../shared skip when it is missing, and fail instead when
PARALLAX_REQUIRE_SHARED is set (as in CI). The CLI binary is PARALLAX_BIN,
else target/{release,debug}/parallax under CARGO_TARGET_DIR or the checkout.
"""

import os
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]


def _shared():
    return pathlib.Path(os.environ.get("PARALLAX_SHARED", ROOT.parent / "shared"))


@pytest.fixture(scope="session")
def shared():
    path = _shared()
    if not (path / "seeds").is_dir():
        message = f"the dev data is not at {path} (set PARALLAX_SHARED)"
        if os.environ.get("PARALLAX_REQUIRE_SHARED"):
            pytest.fail(f"PARALLAX_REQUIRE_SHARED is set but {message}")
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def seeds(shared):
    return shared / "seeds"


@pytest.fixture(scope="session")
def parallax_bin():
    given = os.environ.get("PARALLAX_BIN")
    if given:
        path = pathlib.Path(given)
        assert path.is_file(), f"PARALLAX_BIN={given} is not a file"
        return path
    target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    for profile in ("release", "debug"):
        path = target / profile / "parallax"
        if path.is_file():
            return path
    pytest.fail(f"no parallax binary under {target} (build it with cargo build -p parallax-cli, or set PARALLAX_BIN)")


WIRE = (
    "WASHINGTON (Reuters) - U.S. President Donald Trump pledged on Sunday to help ZTE Corp get "
    "back into business fast after a U.S. ban crippled the Chinese technology company, offering "
    "a job-saving concession to Beijing ahead of high-stakes trade talks this week. The Commerce "
    "Department banned American companies from selling parts to ZTE for seven years, saying it "
    "broke an agreement reached after it was caught illegally shipping goods to Iran."
)

OTHER = (
    "The city council voted on Tuesday to close the old harbour bridge for repairs that will take "
    "at least a year, sending drivers through the north road while engineers replace the rusted "
    "cables and the deck. Officials said the work would cost about 40 million euros and that "
    "ferries would run every twenty minutes during the morning and evening rush."
)


@pytest.fixture
def wire():
    return WIRE


@pytest.fixture
def other():
    return OTHER
