"""GradBench's ``lstm`` (ADBench's): the average log-loss of an LSTM with diagonal weights over a
sequence of bit vectors; ``jacobian`` is its gradient in ``main_params`` and ``extra_params``,
each flattened row by row, concatenated.
"""

from __future__ import annotations

from typing import Dict

import numpy as np

import sct

from . import Function, array, number


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def lstm_model(weight, bias, hidden, cell, inp):
    gates = np.concatenate((inp, hidden, inp, hidden)) * weight + bias
    hsize = hidden.shape[0]
    forget = sigmoid(gates[0:hsize])
    ingate = sigmoid(gates[hsize:2 * hsize])
    outgate = sigmoid(gates[2 * hsize:3 * hsize])
    change = np.tanh(gates[3 * hsize:])
    cell = cell * forget + ingate * change
    hidden = outgate * np.tanh(cell)
    return hidden, cell


def lstm_predict(w, w2, s, x):
    s2 = s.copy()
    x = x * w2[0]
    for i in range(0, len(s), 2):
        s2[i], s2[i + 1] = lstm_model(w[i], w[i + 1], s[i], s[i + 1], x)
        x = s2[i]
    return x * w2[1] + w2[2], s2


def lstm_objective(main_params, extra_params, state, sequence):
    total = 0.0
    count = 0
    inp = sequence[0]
    for t in range(len(sequence) - 1):
        ypred, state = lstm_predict(main_params, extra_params, state, inp)
        ynorm = ypred - np.log(np.sum(np.exp(ypred)) + 2)
        ygold = sequence[t + 1]
        total += np.sum(ygold * ynorm)
        count += ygold.shape[0]
        inp = ygold
    return -total / count


def prepare(input):
    return (array(input["main_params"]), array(input["extra_params"]), array(input["state"]),
            array(input["sequence"]))


def flat_output(grads):
    return np.concatenate([g.ravel() for g in grads]).tolist()


def define() -> Dict[str, Function]:
    """``objective`` and ``jacobian``."""
    reverse = sct.reverse(lstm_objective, wrt=("main_params", "extra_params"))

    def jacobian(*args):
        return reverse(*args)[1]

    return {
        "objective": Function(prepare, lstm_objective, number),
        "jacobian": Function(prepare, jacobian, flat_output),
    }
