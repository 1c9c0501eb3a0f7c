"""The seed plan read as the tasks of its 责任分解表, one per numbered item, as the demo
loads it (sandbox/demo/seed.py; the whole demo is loaded by tests/sandbox/test_demo.py)."""

import importlib.util
from pathlib import Path

SEED = Path(__file__).resolve().parents[2] / "sandbox" / "demo" / "seed.py"


def read_plan_items():
    spec = importlib.util.spec_from_file_location("demo_seed", SEED)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.read_plan_items()


def test_one_task_per_numbered_item_of_the_seed():
    items = read_plan_items()
    assert [(i.section_number, i.number) for i in items] == [
        (1, 1), (1, 2), (1, 3),
        (2, 1), (2, 2), (2, 3), (2, 4), (2, 5),
        (3, 1), (3, 2),
        (4, 1), (4, 2), (4, 3),
        (5, 1), (5, 2), (5, 3),
    ]  # fmt: skip
    by_key = {(i.section_number, i.number): i for i in items}
    # The seed numbers the second item of part 一 "1." as well; it is the second task.
    assert by_key[(1, 2)].text.startswith("推进政策法规内容公开。")
    assert by_key[(5, 1)].text.startswith("加强组织领导。")
    assert "不少于2场政务公开工作专题会议" in by_key[(5, 1)].text
    assert "12项政务公开基本制度" in by_key[(5, 2)].text
    assert "于每季度月末28日" in by_key[(5, 3)].text
    assert by_key[(4, 3)].section_title == "抓好政策落实,深化重点领域信息公开"
