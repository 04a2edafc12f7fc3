"""The benchmarks' reuse of trained pipelines (evaluate.SpacyModel(reuse=...))."""

from govreport.evaluate import finished_training


def test_a_run_that_has_not_ended_is_not_reused(tmp_path):
    # spaCy writes model-best whenever dev improves and model-last when training ends: a model-best alone
    # is a run still going, or one killed half-way, and its scores would be a half-trained pipeline's.
    (tmp_path / "model-best").mkdir()
    (tmp_path / "model-best" / "meta.json").write_text("{}")
    assert not finished_training(tmp_path)
    (tmp_path / "model-last").mkdir()
    (tmp_path / "model-last" / "meta.json").write_text("{}")
    assert finished_training(tmp_path)
