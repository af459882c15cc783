"""The action plan as a PDF, printed by a headless chromium on this computer (Debian's /usr/bin/chromium,
or $ADVISOR_CHROMIUM). Chromium prints the same page the borrower sees, with its print CSS and the
CJK fonts of the system, so no PDF library or font has to ship with the advisor. It runs with no network
use: a fresh profile, no sync, no component updates, no background networking, and the page is a local
file that loads nothing."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import Diagnostic, OutputError
from ..i18n import said
from ..output import write_file

CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--disable-default-apps", "--no-pdf-header-footer", "--hide-scrollbars")
TIMEOUT = 90


def chromium() -> str | None:
    """The chromium to print with: $ADVISOR_CHROMIUM if set (empty: none), else the first one found."""
    if "ADVISOR_CHROMIUM" in os.environ:
        chosen = os.environ["ADVISOR_CHROMIUM"]
        return chosen if chosen and (shutil.which(chosen) or None) else None
    return next((found for name in CANDIDATES if (found := shutil.which(name))), None)


def _missing(out: object) -> OutputError:
    return OutputError([Diagnostic(
        "W002", said(f"{out}：生成 PDF 需要 chromium 浏览器，这台电脑上没有找到",
                     f"{out}: the PDF needs the chromium browser, which is not installed here"),
        hint=said("安装它（Debian/Ubuntu：apt-get install chromium fonts-noto-cjk），或者把 ADVISOR_CHROMIUM 设为它的路径；"
                  "HTML 版的计划（advisor plan CASE > plan.html）在任何浏览器里都能打印",
                  "install it (Debian/Ubuntu: apt-get install chromium fonts-noto-cjk), or set ADVISOR_CHROMIUM to its "
                  "path; the HTML plan (advisor plan CASE > plan.html) prints from any browser"))])


def _failed(out: object, why: str) -> OutputError:
    return OutputError([Diagnostic("W003", said(f"{out}：chromium 没能打印出 PDF（{why}）",
                                                f"{out}: chromium could not print the PDF ({why})"),
                                   hint=said("再运行一次；如果一直失败，就在浏览器里打印 HTML 版的计划",
                                             "run again; if it keeps failing, print the HTML plan from a browser"))])


def html_to_pdf(html: str, out: Path) -> None:
    """Print `html` (a self-contained page) to the PDF file `out`; an OutputError, never a traceback, when
    chromium is missing, fails or the file cannot be written."""
    browser = chromium()
    if browser is None:
        raise _missing(out)
    with tempfile.TemporaryDirectory(prefix="advisor-pdf-") as tmp:
        page, printed = Path(tmp) / "plan.html", Path(tmp) / "plan.pdf"
        page.write_text(html, encoding="utf-8")
        command = [browser, *FLAGS, f"--user-data-dir={Path(tmp) / 'profile'}", f"--print-to-pdf={printed}",
                   page.as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False,
                                  env={**os.environ, "HOME": tmp})
        except FileNotFoundError:
            raise _missing(out) from None
        except subprocess.TimeoutExpired:
            raise _failed(out, f"no answer in {TIMEOUT} s") from None
        if not printed.is_file() or printed.stat().st_size == 0:
            last = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit {done.returncode}"]
            raise _failed(out, last[0][:200])
        write_file(out, printed.read_bytes())      # whole or not at all: never a half-copied PDF


def pdf_bytes(html: str) -> bytes:
    """The PDF as bytes (for the page's download)."""
    with tempfile.TemporaryDirectory(prefix="advisor-pdf-out-") as tmp:
        out = Path(tmp) / "plan.pdf"
        html_to_pdf(html, out)
        return out.read_bytes()
