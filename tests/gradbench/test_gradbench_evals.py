"""Every eval through sct's GradBench tool at small sizes, each answer validated against the
independent references (rewritten primals, divided differences) by GradBench's tolerance; and the
validation itself rejects a wrong answer."""

import copy

import numpy as np
import pytest

from gradbench import evals, inputs, references, runner


@pytest.mark.parametrize("eval", evals.MODULES)
def test_eval_answers_are_valid(eval):
    result = runner.run_eval(eval, inputs.SMALL[eval], runner.differences_reference(limit=40), min_seconds=0,
                             out=None)
    if eval in runner.AWAITING and not result.defined:
        assert result.awaiting, result.define_error  # refused by sct, with its SCTError message
        refusal = result.define_error.splitlines()[0]
        pytest.skip(f"awaiting support for {runner.AWAITING[eval]} in sct: {refusal}")
    assert result.defined, result.define_error
    assert result.verdicts
    invalid = [v for v in result.verdicts if not v["valid"]]
    assert not invalid, invalid[0]
    assert result.passed


def _answers(eval):
    """(function, input, sct's answer) for the first size of ``eval``'s small plan."""
    functions = evals.define(eval)
    plan = inputs.plan(eval, inputs.SMALL[eval], 1, 0)
    found, output = [], None
    while len(found) < len(functions):
        function, input, _ = plan.send(output)
        f = functions[function]
        output = f.output(f.compute(*f.prepare(input)))
        found.append((function, input, output))
    return found


def _perturbed(output):
    """``output`` with its first float moved by 1e-3 relative (ten times GradBench's tolerance)."""
    if isinstance(output, float):
        return output + 1e-3 * max(1.0, abs(output))
    wrong = copy.deepcopy(output)
    for key in (wrong if isinstance(wrong, dict) else range(len(wrong))):
        if isinstance(wrong[key], (float, dict, list)):
            moved = _perturbed(wrong[key])
            if moved != wrong[key]:
                wrong[key] = moved
                return wrong
    return wrong


@pytest.mark.parametrize("eval", [e for e in evals.MODULES if e not in runner.AWAITING])
def test_validation_rejects_a_wrong_answer(eval):
    for function, input, output in _answers(eval):
        assert not references.check(eval, function, input, output).mismatches
        assert references.check(eval, function, input, _perturbed(output)).mismatches, function


def test_gmm_inputs_have_gradbench_fields_and_seed():
    input = inputs.gmm_input(inputs.SEED, d=3, k=2, n=4)
    assert set(input) == {"d", "k", "n", "x", "m", "gamma", "mu", "q", "l", "alpha"}
    rng = np.random.default_rng(seed=inputs.SEED)
    assert input["x"][0] == list(rng.normal(size=3))
    assert np.shape(input["l"]) == (2, 3)


@pytest.mark.parametrize("peer_name", ["jax", "torch"])
def test_answers_agree_with_peer_tools_when_installed(peer_name):
    pytest.importorskip(peer_name)
    from gradbench.peers import available

    reference = runner.peer_reference(available(peer_name), runner.differences_reference(limit=40))
    for eval in ("lse", "gmm"):
        result = runner.run_eval(eval, inputs.SMALL[eval], reference, min_seconds=0, out=None)
        assert result.passed, [v for v in result.verdicts if not v["valid"]]
        assert any(v["how"] == peer_name for v in result.verdicts)
