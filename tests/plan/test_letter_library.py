"""The letter library over every shipped case, hostile case text, the personal fields and the file formats."""
from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from advisor.cli import main
from advisor.render import letter_files

from conftest import CASES, RULES

RAW = ("{{", "}}", "{%", "%}", "{#", "None", "____", "nan", "inf 元")
CAP = {"credit_card": 60}


def _run_letters(runner, path, folder):
    result = runner.invoke(main, ["run", str(path), "--letters", str(folder), "--rules", str(RULES)])
    assert result.exit_code == 0, (path.name, result.output)
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("path", sorted(CASES.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_shipped_case_writes_the_letters_that_fit_and_a_lender_finds_them_consistent(runner, tmp_path, path):
    files = _run_letters(runner, path, tmp_path / "a")
    assert _run_letters(runner, path, tmp_path / "b") == files        # deterministic, byte for byte
    doc = json.loads(runner.invoke(main, ["run", str(path), "--format", "json", "--rules", str(RULES)]).output)
    loans = {loan["name"]: loan for loan in doc.get("loans", [])}
    held = {h["loan"] for h in (doc.get("plan") or {}).get("held", [])}
    listing = files.pop("00-信件清单.txt").decode("utf-8")
    for name, data in files.items():
        text = data.decode("utf-8")
        assert name in listing
        assert int(name[:2]) - 1 not in held, name                      # no letter at all for a held debt
        for raw in RAW:
            assert raw not in text, (name, raw)
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", text)
        # the schedule adds up: its rows, its total line, and never beyond the product's limit
        rows = [float(a.replace(",", "")) for a in re.findall(r"第 *\d+ 期 +\d{4}-\d\d-\d\d +([\d,.]+) 元", text)]
        middle = re.search(r"第 (\d+)–(\d+) 期  每月同日  每期 ([\d,.]+) 元", text)
        total = re.search(r"合计 (\d+) 期，共 ([\d,.]+) 元", text)
        if total:
            periods = int(total[1])
            counted = rows + ([float(middle[3].replace(",", ""))] * (int(middle[2]) - int(middle[1]) + 1) if middle else [])
            assert len(counted) == periods and round(sum(counted), 2) == float(total[2].replace(",", "")), name
            kind = next((loan.get("lender_type") for loan_name, loan in loans.items() if f"-{_slug(loan_name)}-" in name),
                        None)
            assert periods <= CAP.get(kind or "", 60), name
            assert "停止计收利息" in text                                   # the months assume it: the letter asks


def _slug(name):
    from advisor.plan.letters import slug
    return slug(name)


HOSTILE = """as_of: 2026-11-28
borrower: {name: "{{ 7*7 }}<script>x</script>", phone: "138 0000 0000"}
income: {salary: 6500}
expenses: {living: 2000, rent: 1500}
loans:
  - name: "{% for x in range(3) %}A{% endfor %}\\u001b[2J"
    lender_name: "<b>某公司</b>{# c #}"
    contract_number: "{{ config }}"
    balance: 18000
    monthly_payment: 2000
    overdue_days: 10
  - name: 另一家
    balance: 12000
    monthly_payment: 1500
"""


def test_jinja_html_and_control_characters_in_case_text_render_as_text(runner, tmp_path):
    case = tmp_path / "hostile.yaml"
    case.write_text(HOSTILE, encoding="utf-8")
    text = runner.invoke(main, ["letter", str(case), "--loan", "1", "--rules", str(RULES)]).output
    assert "{{ 7*7 }}<script>x</script>" in text and "49" not in text.split("申请人：")[1][:20]
    assert "{% for x in range(3) %}A{% endfor %}\\x1b[2J" in text and "AAA" not in text and "\x1b" not in text
    assert "<b>某公司</b>{# c #}" in text and "借款合同编号：{{ config }}" in text
    page = letter_files.html(text)
    assert "<script>x</script>" not in page and "&lt;script&gt;" in page and "<b>" not in page
    assert letter_files.docx_text(letter_files.docx(text)) == text            # Word holds the text as text


def test_the_docx_carries_the_same_content_and_is_deterministic(runner, tmp_path):
    three = str(CASES / "three_loans_plan.yaml")
    text = runner.invoke(main, ["letter", three, "--loan", "某小贷", "--rules", str(RULES)]).output
    out = tmp_path / "申请.docx"
    result = runner.invoke(main, ["letter", three, "--loan", "某小贷", "--format", "docx", "--out", str(out),
                                  "--rules", str(RULES)])
    assert result.exit_code == 0, result.output
    assert letter_files.docx_text(out.read_bytes()) == text
    again = tmp_path / "again.docx"
    runner.invoke(main, ["letter", three, "--loan", "某小贷", "--format", "docx", "--out", str(again), "--rules", str(RULES)])
    assert again.read_bytes() == out.read_bytes()
    missing = runner.invoke(main, ["letter", three, "--loan", "某小贷", "--format", "docx", "--rules", str(RULES)])
    assert missing.exit_code != 0 and "--out" in missing.output and "Traceback" not in missing.output


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("chromium") or not shutil.which("pdftotext"), reason="needs chromium, pdftotext")
def test_the_pdf_carries_the_same_content(runner, tmp_path):
    three = str(CASES / "three_loans_plan.yaml")
    text = runner.invoke(main, ["letter", three, "--loan", "某银行信用卡", "--rules", str(RULES)]).output
    out = tmp_path / "card.pdf"
    result = runner.invoke(main, ["letter", three, "--loan", "某银行信用卡", "--format", "pdf", "--out", str(out),
                                  "--rules", str(RULES)])
    assert result.exit_code == 0, result.output
    printed = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    squeeze = lambda s: re.sub(r"\s+", "", s)  # noqa: E731 — line breaks and padding differ on the page
    assert squeeze(text) == squeeze(printed)


def test_a_full_id_number_is_refused_at_its_line_and_a_masked_one_is_kept(runner, tmp_path):
    case = tmp_path / "id.yaml"
    case.write_text("as_of: 2026-11-28\nborrower:\n  id_number: '110101199003071234'\n  phone: 13800001234\n"
                    "loans:\n  - {name: 卡, card_last4: 427}\n", encoding="utf-8")
    result = runner.invoke(main, ["run", str(case), "--rules", str(RULES)])
    assert result.exit_code == 3 and "Traceback" not in result.output
    assert "id.yaml:3:14: error[C021]: borrower.id_number：完整身份证号不能写进案例" in result.output
    assert "id.yaml:4:10: error[C021]: borrower.phone" in result.output and "要加引号" in result.output
    assert "id.yaml:6:27: error[C021]: loans[0].card_last4" in result.output
    english = runner.invoke(main, ["run", str(case), "--rules", str(RULES)], env={"ADVISOR_LANG": "en"}).output
    assert "id.yaml:3:14: error[C021]: borrower.id_number: a full ID number is not stored" in english
    assert "the phone number must be quoted text" in english and "完整" not in english
    case.write_text("as_of: 2026-11-28\nborrower: {id_number: '1101**********1234', phone: '138 0000 1234'}\n",
                    encoding="utf-8")
    assert runner.invoke(main, ["run", str(case), "--rules", str(RULES)]).exit_code == 0


def test_list_says_which_letters_fit_each_lender_and_why_with_an_english_gloss(runner):
    out = runner.invoke(main, ["letter", str(CASES / "village_committee.yaml"), "--list", "--rules", str(RULES)]).output
    assert "--kind stop_contact" in out and "--kind complaint" in out and "第三方" in out
    english = runner.invoke(main, ["letter", str(CASES / "old_private_loans.yaml"), "--list", "--lang", "en",
                                   "--rules", str(RULES)]).output
    assert "the letters themselves are in Chinese" in english and "held for the limitation check" in english
    assert "--kind hardship" not in english.split("2. ")[0]       # nothing but the safe letters for the held debt
