"""The web app (Starlette): the counsellor's page, the downloads, the decision record and POST /api/advise.
Every failure is an answer: a problem next to its field, a message on the page, or errors as JSON data."""
from __future__ import annotations

import datetime as dt
import functools
import os
from pathlib import Path
from typing import Any, Awaitable, Callable
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..plan import letters
from ..errors import AdvisorError, CaseError, Diagnostic
from ..render import json as render_json
from ..i18n import Said, said
from ..i18n import words as catalogue
from ..load.read import MAX_BYTES, decode
from . import journal as journal_page
from . import plan as action_plan
from ..render.journal import evidence_markdown
from .form import CaseForm, from_fields, from_yaml, to_yaml
from .context import page_context
from .service import Outcome, Service
from .templating import environment
from .words import UI

STATIC = Path(__file__).parent / "static"
Endpoint = Callable[[Request], Awaitable[Response]]


def _lang(value: Any) -> str:
    return value if value in UI else "zh"


def create_app(service: Service) -> Starlette:
    """The app over one loaded rules folder (and the record database `service.db`)."""

    def guarded(endpoint: Endpoint) -> Endpoint:
        """Never a traceback: a bug becomes a plain page (or JSON for the API), logged nowhere else."""
        @functools.wraps(endpoint)
        async def run(request: Request) -> Response:
            try:
                return await endpoint(request)
            except HTTPException:
                raise
            except Exception as exc:  # a bug: say so plainly
                if os.environ.get("ADVISOR_WEB_DEBUG"):
                    raise
                return _internal(request, exc)
        return run

    async def read_form(request: Request) -> tuple[CaseForm, str, str, dict[str, str]]:
        data = await request.form(max_fields=50_000, max_files=0)
        pairs = [(k, v) for k, v in data.multi_items() if isinstance(v, str)]
        form = from_fields(pairs)
        for key, value in pairs:                      # an "ask next" answer fills its input
            if key.startswith("ask:") and value.strip():
                name = key[4:]
                if name.startswith("loans-"):
                    _, index, field = name.split("-", 2)
                    if index.isdigit() and int(index) < len(form.loans):
                        form.loans[int(index)][field] = value
                else:
                    form.values[name] = value
        lang = _lang(data.get("switch_lang") or data.get("lang"))
        return form, lang, str(data.get("action") or ""), {k: str(v) for k, v in pairs}

    async def page(request: Request) -> Response:
        if request.method == "GET":
            lang = _lang(request.query_params.get("lang"))
            form = CaseForm(values={"as_of": dt.date.today().isoformat()}, loans=[{}])
            return _page(lang, form)
        form, lang, action, fields = await read_form(request)
        if action == "add_loan":
            form.loans.append({})
            return _page(lang, form)
        if action == "add_entry":
            return _add_entry(lang, form, fields)
        if action.startswith("remove-") and action[7:].isdigit():
            index = int(action[7:])
            if index < len(form.loans):
                del form.loans[index]
            return _page(lang, form)
        return _page(lang, form, service.advise_form(form, lang))

    def _add_entry(lang: str, form: CaseForm, fields: dict[str, str]) -> HTMLResponse:
        """Log the page's new entry; when the case reader refuses it, the journal stays as it was and the
        page says why (issue 17)."""
        trial = journal_page.with_entry(form, journal_page.posted_entry(fields))
        outcome = service.advise_form(trial, lang)
        before = service.advise_form(form, lang)
        if outcome.count > before.count:
            new = [d for d in [*outcome.problems.get("journal", []), *outcome.general]]
            reasons = "；".join(d.message.get(lang) if isinstance(d.message, Said) else str(d.message) for d in new)
            return _page(lang, form, before, message=f"{UI[lang]['entry_refused']} {reasons}")
        return _page(lang, outcome.form, outcome, message=UI[lang]["entry_added"])

    async def evidence(request: Request) -> Response:
        form, lang, _, _ = await read_form(request)
        outcome = service.advise_form(form, lang)
        if outcome.report is None:
            return _page(lang, form, outcome)
        return _download(evidence_markdown(outcome.report, lang), _file_for(form, "case", "-evidence.md"),
                         "text/markdown; charset=utf-8")

    async def load(request: Request) -> Response:
        data = await request.form(max_files=1, max_fields=10)
        lang = _lang(data.get("lang"))
        upload = data.get("file")
        raw = await upload.read(MAX_BYTES + 1) if isinstance(upload, UploadFile) else b""
        name = getattr(upload, "filename", "") or "case.yaml"
        if not raw:
            return _page(lang, CaseForm(loans=[{}]), message=UI[lang]["load"] + ": —")
        if len(raw) > MAX_BYTES:
            problems = [_too_large()]
            return _page(lang, CaseForm(loans=[{}]), load_problems=problems)
        source, problems = decode(raw, name, "Y000")
        if source is None:
            return _page(lang, CaseForm(loans=[{}]), load_problems=problems)
        try:
            service.advise_text(source.text, lang, name)
            problems = []
        except CaseError as exc:
            problems = exc.diagnostics
        form, left = from_yaml(source.text)
        if not form.loans and not form.values:
            return _page(lang, CaseForm(loans=[{}], original=source.text), load_problems=problems)
        return _page(lang, form, service.advise_form(form, lang), load_problems=problems, not_on_page=left)

    async def plan_page(request: Request) -> Response:
        form, lang, _, _ = await read_form(request)
        outcome = service.advise_form(form, lang)
        if outcome.report is None:
            return _page(lang, form, outcome)
        return HTMLResponse(action_plan.render(outcome.report))

    async def plan_pdf(request: Request) -> Response:
        from starlette.concurrency import run_in_threadpool

        from .pdf import pdf_bytes

        form, lang, _, _ = await read_form(request)
        outcome = service.advise_form(form, lang)
        if outcome.report is None:
            return _page(lang, form, outcome)
        try:
            data = await run_in_threadpool(pdf_bytes, action_plan.render(outcome.report))
        except AdvisorError as exc:
            return _page(lang, form, outcome, message=UI[lang]["pdf_failed"] + " " + _words(exc.diagnostics[0].message, lang))
        return _download(data, _file_for(form, "plan", "-plan.pdf"), "application/pdf")

    async def calendar_ics(request: Request) -> Response:
        from .calendar import calendar_ics as case_calendar      # what `advisor calendar` writes: the journal's too

        form, lang, _, _ = await read_form(request)
        outcome = service.advise_form(form, lang)
        if outcome.report is None:
            return _page(lang, form, outcome)
        return _download(case_calendar(outcome.report), _file_for(form, "plan", ".ics"), "text/calendar; charset=utf-8")

    async def letter(request: Request) -> Response:
        form, lang, _, fields = await read_form(request)
        outcome = service.advise_form(form, lang)
        report = outcome.report
        which = fields.get("phone") or fields.get("loan") or ""
        kind = "phone" if "phone" in fields else "letter"
        if report is None or report.plan is None or not which.isdigit():
            return _page(lang, form, outcome)
        index = int(which)
        if index not in {o.loan for o in report.plan.offers} or report.plan.affordable:
            return _page(lang, form, outcome, message=UI[lang]["held"].format(name=which))
        text = letters.render(report, index, kind, service.templates_dir)
        loan = report.trace.case.loans[index]  # type: ignore[index]
        filename = letters.file_name(index, loan.name, kind)
        return _download(text, filename, "text/plain; charset=utf-8")

    async def case_yaml(request: Request) -> Response:
        form, lang, _, _ = await read_form(request)
        text, _ = to_yaml(form)
        if form.original and to_yaml(from_yaml(form.original)[0])[0] == text:
            text = form.original                      # unchanged since it was loaded: the file, comments and all
        return _download(text, _file_for(form, "case", ".yaml"), "application/yaml; charset=utf-8")

    async def record(request: Request) -> Response:
        from ..records.store import default_db, save
        from ..records.replay import make_record

        form, lang, _, _ = await read_form(request)
        outcome = service.advise_form(form, lang)
        if outcome.report is None:
            return _page(lang, form, outcome)
        path = service.db or default_db()
        try:
            number = save(make_record(outcome.report, Path("web:" + outcome.report.case), service.rules_dir,
                                      outcome.text.encode("utf-8"), render_json.document(outcome.report)), path)
        except AdvisorError as exc:
            return _page(lang, form, outcome, message=exc.render(lang))
        return _page(lang, form, outcome, message=UI[lang]["recorded"].format(n=number, db=path))

    async def api_advise(request: Request) -> Response:
        lang = request.query_params.get("lang", "zh")
        if lang not in UI:
            return _errors(400, [Diagnostic("A001", said(f"lang 只能是 zh 或 en，不能是 '{lang}'",
                                                         f"lang must be zh or en, not '{lang}'"))])
        raw = await request.body()
        if len(raw) > MAX_BYTES:
            return _errors(413, [_too_large()])
        source, problems = decode(raw, "case", "Y000")
        if source is None:
            return _errors(400, problems)
        try:
            report = service.advise_text(source.text, lang, "case")
        except CaseError as exc:
            return _errors(422, exc.diagnostics)
        except AdvisorError as exc:
            return _errors(500, exc.diagnostics)
        return JSONResponse(render_json.document(report))

    def _page(lang: str, form: CaseForm, outcome: Outcome | None = None, **extra: Any) -> HTMLResponse:
        return HTMLResponse(environment().get_template("page.html.j2").render(page_context(lang, form, outcome, **extra)))

    async def not_found(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 404)
        if request.url.path.startswith("/api/"):
            return _errors(status, [Diagnostic("A404" if status == 404 else "A405",
                                               f"{request.method} {request.url.path}: {getattr(exc, 'detail', '')}",
                                               hint=said("用 POST /api/advise 发送一个 YAML 或 JSON 格式的案例",
                                                         "POST /api/advise with a case as YAML or JSON"))])
        lang = _lang(request.query_params.get("lang"))
        return HTMLResponse(environment().get_template("message.html.j2").render(
            w=UI[lang], lang=lang, text=UI[lang]["not_found"] if status == 404 else str(getattr(exc, "detail", ""))),
            status_code=status)

    routes = [Route("/", guarded(page), methods=["GET", "POST"]), Route("/load", guarded(load), methods=["POST"]),
              Route("/plan", guarded(plan_page), methods=["POST"]),
              Route("/plan.pdf", guarded(plan_pdf), methods=["POST"]),
              Route("/calendar.ics", guarded(calendar_ics), methods=["POST"]), Route("/letter", guarded(letter), methods=["POST"]),
              Route("/case.yaml", guarded(case_yaml), methods=["POST"]),
              Route("/evidence.md", guarded(evidence), methods=["POST"]),
              Route("/record", guarded(record), methods=["POST"]),
              Route("/api/advise", guarded(api_advise), methods=["POST"]),
              Mount("/static", StaticFiles(directory=str(STATIC)), name="static")]
    return Starlette(routes=routes, exception_handlers={HTTPException: not_found})


def _download(text: str | bytes, filename: str, media: str) -> Response:
    ascii_name = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "_" for ch in filename)
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    body = text.encode("utf-8") if isinstance(text, str) else text
    return Response(body, media_type=media, headers={"Content-Disposition": disposition})


def _too_large() -> Diagnostic:
    return Diagnostic("Y000", said(f"案例太大（上限 {MAX_BYTES:,} 字节）", f"the case is too large (limit {MAX_BYTES:,} bytes)"))


def _words(text: str | Said, lang: str) -> str:
    return text.get(lang) if isinstance(text, Said) else text


def _errors(status: int, diagnostics: list[Diagnostic]) -> JSONResponse:
    """Errors as data: code, message, line, col, hint, severity, for each problem (in English: for tools, like
    the codes; the page shows them in its own language)."""
    return JSONResponse({"errors": [
        {"code": d.code, "message": d.message, "line": d.location.line if d.location else None,
         "col": d.location.col if d.location else None, "hint": d.hint, "severity": d.severity}
        for d in diagnostics]}, status_code=status)


def _file_for(form: CaseForm, default: str, suffix: str) -> str:
    """A download's file name: the borrower's name (before " · ") as a safe slug, and its suffix."""
    return letters.slug((form.values.get("name") or default).split(" · ")[0]) + suffix


def _internal(request: Request, exc: Exception) -> Response:
    """A bug, reported in one line without a traceback (like the CLI's exit 70)."""
    line = f"internal error: {type(exc).__name__}: {exc}"
    if request.url.path.startswith("/api/"):
        return _errors(500, [Diagnostic("X000", line, hint=said("这是 advisor 本身的缺陷；请报告",
                                                                "this is a bug in the advisor; please report it"))])
    lang = _lang(request.query_params.get("lang"))
    return HTMLResponse(environment().get_template("message.html.j2").render(
        w=UI[lang], lang=lang, text=UI[lang]["internal"], detail=line), status_code=500)

