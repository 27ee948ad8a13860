"""A checkpoint placed by accelerate (`load_model(..., device_map=...)`) behaves as one loaded whole.

Covered on the CPU: a map that keeps some layers in memory and offloads others to disk, so that the forward pass
crosses accelerate's placement hooks; logits, runtime interventions, activation x gradient attribution, static edits
(applied and undone bit-exactly) and generation all match the same model loaded whole. Not covered here: several real
accelerators (hidden states moving between cuda:0 and cuda:1), which needs a machine with two GPUs.
"""
import pytest
import torch

from loopbook import load_model
from loopbook.attribution import act_grad
from loopbook.cases import Case, encode_cases
from loopbook.edits import Edit, apply
from loopbook.errors import LoopbookError
from loopbook.interventions import ablate
from loopbook.models import Adapter, Expert, Neuron, tiny_checkpoint

OFFLOADED = (1, 2)   # layers put on disk


def placement(model) -> dict:
    "Every top-level module on the CPU, except the layers in OFFLOADED, on disk."
    dm = {f"model.{n}": "cpu" for n, _ in model.model.named_children() if n != "layers"}
    dm |= {f"model.layers.{i}": "disk" if i in OFFLOADED else "cpu" for i in range(Adapter(model).n_layers)}
    return dm | {"lm_head": "cpu"}


@pytest.fixture(scope="module", params=["gemma4", "gemma4-moe"])
def pair(request, tmp_path_factory):
    "The same tiny checkpoint loaded whole and placed by a device_map with disk offload."
    tmp = tmp_path_factory.mktemp(request.param)
    ckpt = tiny_checkpoint(request.param, tmp / "ckpt")
    whole, tok = load_model(ckpt, dev=torch.device("cpu"))
    placed, _ = load_model(ckpt, device_map=placement(whole), offload_folder=str(tmp / "offload"))
    assert set(placed.hf_device_map.values()) == {"cpu", "disk"}
    return whole, placed, tok


IDS = torch.tensor([[2, 5, 6, 7, 8, 9, 10, 11]])


def logits(model, ids=IDS):
    with torch.no_grad(): return model(ids).logits


def test_forward_matches(pair):
    whole, placed, _ = pair
    assert torch.equal(logits(whole), logits(placed))


def test_runtime_intervention_on_an_offloaded_layer(pair):
    whole, placed, _ = pair
    target = [Neuron(OFFLOADED[0], 3)]
    with ablate(whole, target): a = logits(whole)
    with ablate(placed, target): b = logits(placed)
    assert torch.equal(a, b) and not torch.equal(a, logits(whole))


def test_static_edit_applies_and_undoes_bit_exactly(pair):
    whole, placed, _ = pair
    before = logits(placed)
    edit = [Edit.of(Neuron(0, 3), -1.0)]   # layer 0 is in memory
    with apply(whole, edit): a = logits(whole)
    with apply(placed, edit): b = logits(placed)
    assert torch.equal(a, b) and not torch.equal(b, before)
    assert torch.equal(logits(placed), before)


def test_static_edit_on_an_offloaded_layer_is_refused(pair):
    whole, placed, _ = pair
    address = Expert(OFFLOADED[0], 1) if Adapter(placed).experts(OFFLOADED[0]) is not None else Neuron(OFFLOADED[0], 3)
    with pytest.raises(LoopbookError, match="offloaded"):
        with apply(placed, [Edit.of(address, -1.0)]): pass


def test_attribution_matches(pair):
    whole, placed, tok = pair
    enc = encode_cases([Case(prefix="a b c d e", target="a", foil="f", kind="first")], tok)
    a, b = act_grad(whole, enc, "neuron"), act_grad(placed, enc, "neuron")
    assert a.keys() == b.keys() and all(torch.allclose(torch.as_tensor(a[k]), torch.as_tensor(b[k])) for k in a)


def test_generation_matches(pair):
    whole, placed, _ = pair
    kw = dict(max_new_tokens=12, do_sample=False, pad_token_id=0)
    with torch.no_grad(): assert torch.equal(whole.generate(IDS, **kw), placed.generate(IDS, **kw))


def test_placement_options_need_a_device_map(tmp_path):
    with pytest.raises(LoopbookError, match="only apply with a device_map"):
        load_model(tiny_checkpoint("gemma4", tmp_path / "c"), offload_folder=str(tmp_path / "o"))
