"""The web page stage: a counsellor's form -> the same case reader -> the advice, and a borrower's action plan.

`form` and `plan` need only the core dependencies (`advisor run --format plan` uses them); `app` needs the
`web` extra (Starlette, uvicorn, python-multipart) and is imported only by `advisor serve`.
"""
