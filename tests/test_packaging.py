"""The govreport wheel carries what an installed copy needs: the annotation guidelines that
`govreport doccano push` sends to Doccano (docs/ANNOTATION_GUIDELINES.md is the one source)."""

import subprocess
import sys
import zipfile

from conftest import ROOT
from govreport.doccano import read_guidelines


def test_wheel_ships_the_annotation_guidelines_of_docs(tmp_path):
    docs = (ROOT / "docs" / "ANNOTATION_GUIDELINES.md").read_text(encoding="utf-8")
    assert read_guidelines() == docs
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", tmp_path, ROOT],
                   check=True, capture_output=True)
    [wheel] = tmp_path.glob("govreport-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        assert archive.read("govreport/ANNOTATION_GUIDELINES.md").decode("utf-8") == docs
