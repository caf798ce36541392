"""The sentiment models, metrics and reports load without Kedro (serving and notebooks use them)."""

from __future__ import annotations

import subprocess
import sys


def test_no_kedro_and_no_torch_at_import() -> None:
    code = (
        "import sys\n"
        "import movia.models.sentiment, movia.evaluation.classification\n"
        "import movia.analysis.sentiment_evaluation, movia.analysis.sentiment_plots\n"
        "import movia.analysis.sentiment_explanations\n"
        "print('kedro' in sys.modules, 'torch' in sys.modules, 'transformers' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    # torch and transformers load on first fit/predict of the transformer, not at import
    assert result.stdout.split() == ["False", "False", "False"]
