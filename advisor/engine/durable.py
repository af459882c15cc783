"""Engine stage: the only module that imports durable_rules. Runs one case in its own session.

Traps handled here (see ../shared/durable-notes.md):
- durable's Host starts timer threads that dispatch actions in the background; we drive
  `durable.engine.Ruleset` directly with a host object that only resolves actions, so every
  action runs synchronously inside `evaluate` and nothing happens behind our back;
- a ruleset name registers once per process: each compiled ruleset gets its own name, kept here;
- each evaluation uses a fresh session id and deletes it in `finally` (at most 1,024 live);
- exceptions inside actions are swallowed by durable: we record them and raise EngineError;
- after an error inside the C engine, the process is tainted: no further evaluation runs in it;
- a fact that completes no activation makes delete_state segfault: the compiler adds sink rules.
"""
from __future__ import annotations

import copy
import itertools
import threading
from dataclasses import dataclass, field
from typing import Any, Callable

from .compiler import Compiled
from ..errors import Diagnostic, EngineError
from ..model import Firing

REINSTALL = ('CPPFLAGS="-DPyEval_CallObject=PyObject_CallObject" '
             "pip install --no-cache-dir --force-reinstall --no-binary durable-rules durable-rules==2.0.28")


def _import() -> tuple[Any, Any, str]:
    try:
        from durable import engine as d_engine
        import durable_rules_engine
    except ImportError as exc:
        if "PyEval_CallObject" in str(exc):
            raise EngineError([Diagnostic(
                "X001", "durable_rules was built without the fix it needs on Python 3.13+",
                hint=f"reinstall it with the fix (scripts/install does this): {REINSTALL}")]) from None
        raise EngineError([Diagnostic("X001", f"durable_rules is not installed or cannot load ({exc})",
                                      hint="run scripts/install, or: pip install durable-rules==2.0.28")]) from None
    try:
        from importlib.metadata import version
        ver = version("durable_rules")
    except Exception:  # pragma: no cover - metadata missing in odd installs
        ver = "unknown"
    return d_engine, durable_rules_engine, ver


@dataclass
class _Session:
    """What one evaluation collects while durable fires its actions."""

    groups: int
    firings: list[Firing] = field(default_factory=list)
    derived: set[str] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)


class _Actions:
    """Resolves durable's action names to callables (the only thing the Ruleset asks its host)."""

    def __init__(self, engine: "Engine", compiled: Compiled):
        self.engine = engine
        self.compiled = compiled

    def get_action(self, name: str) -> Callable[[Any], None]:
        if name.startswith("__sink_"):
            return _sink
        engine, branch = self.engine, self.compiled.branches[name]
        groups = self.compiled.derived_groups  # a derived fact goes only to the groups whose rules test it

        def action(c: Any) -> None:
            session = engine._current
            try:
                assert session is not None, "action fired outside an evaluation"
                matched = dict(c._m)
                loans = tuple(_matched(matched[alias]) for alias, q in branch.loans if q.kind == "any")
                added = []
                for fact in branch.derive:
                    if fact not in session.derived:
                        session.derived.add(fact)
                        added.append(fact)
                        for g in groups.get(fact, ()):
                            c.assert_fact({"t": "derived", "g": g, "name": fact})
                session.firings.append(Firing(
                    len(session.firings), branch.rule, branch.index, _strip(matched.get("c")), loans,
                    tuple(name for _, name, negated in branch.derived if not negated), tuple(added)))
            except BaseException as exc:  # durable would swallow it: keep it for evaluate()
                if session is not None:
                    session.errors.append(f"{branch.rule}: {type(exc).__name__}: {exc}")
                raise
        return action


def _sink(c: Any) -> None:
    """The action of the sink rules: every fact completes one activation (see compiler.py)."""


def _strip(fact: Any) -> dict[str, Any] | None:
    if fact is None:
        return None
    return _matched(fact)


def _matched(fact: Any) -> dict[str, Any]:
    """A matched fact without durable's bookkeeping properties."""
    return {k: v for k, v in dict(fact).items() if k not in ("sid", "t", "g")}


class Engine:
    """Registers compiled rulesets once and evaluates cases, one fresh session each."""

    def __init__(self) -> None:
        self._d_engine, self._c, self.version = _import()
        self._rulesets: dict[str, Any] = {}
        self._current: _Session | None = None
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._tainted = ""

    @property
    def name(self) -> str:
        return "durable_rules"

    def prepare(self, compiled: Compiled) -> None:
        """Register a compiled ruleset (once per process and name)."""
        if compiled.name in self._rulesets:
            return
        try:
            self._rulesets[compiled.name] = self._d_engine.Ruleset(
                compiled.name, _Actions(self, compiled), copy.deepcopy(compiled.definition))
        except Exception as exc:
            raise EngineError([Diagnostic("X002", f"durable_rules rejected the compiled rules: {exc}",
                                          hint="this is a bug in the advisor's compiler; please report it")]) from None

    def evaluate(self, compiled: Compiled, case: dict[str, Any], loans: list[dict[str, Any]]) -> tuple[Firing, ...]:
        """Assert the case's facts in a new session, run every action, delete the session."""
        if self._tainted:
            raise EngineError([Diagnostic("X004", "the rules engine failed earlier in this process "
                                          f"({self._tainted}); it cannot evaluate more cases",
                                          hint="start a new process")])
        ruleset = self._rulesets[compiled.name]
        with self._lock:
            sid = f"case-{next(self._ids)}"
            session = _Session(compiled.groups)
            facts = []
            for g in range(compiled.groups):
                facts.append({**case, "sid": sid, "t": "case", "g": g})
                facts.extend({**loan, "sid": sid, "t": "loan", "g": g} for loan in loans)
            self._current = session
            delete = True
            try:
                self._run(ruleset, ruleset.assert_facts, facts)
                for n in range(1, compiled.phases + 1):
                    # A phase fact per group that has rules waiting for it: a node of durable holds at most
                    # 256 waiting rules (error 108), so each group's gates hang under their own node.
                    gates = [{"sid": sid, "t": "phase", "n": n, "g": g} for g in compiled.phase_groups.get(n, ())]
                    if gates:
                        self._run(ruleset, ruleset.assert_facts, gates)
                state = ruleset.get_state(sid)
            except (self._d_engine.MessageNotHandledException, self._d_engine.MessageObservedException) as exc:
                raise EngineError([Diagnostic("X006", f"the rules engine refused a fact: {exc.message[:300]}",
                                              hint="this is a bug in the advisor; please report it")]) from None
            except self._c.error as exc:
                delete = False  # deleting a session after a C error can crash the process
                self._tainted = str(exc)
                raise EngineError([Diagnostic("X003", f"the rules engine failed: {exc}",
                                              hint="report this case and rule set; the process must restart")]
                                  ) from None
            finally:
                self._current = None
                if delete:
                    ruleset.delete_state(sid)
        if session.errors or "exception" in state:
            detail = "; ".join(session.errors) or str(state.get("exception"))[:500]
            raise EngineError([Diagnostic("X005", f"a rule action failed: {detail}",
                                          hint="this is a bug in the advisor; please report it with the case")])
        return tuple(session.firings)

    def _run(self, ruleset: Any, call: Callable[[Any], Any], facts: Any) -> None:
        outcome: list[Any] = [None]

        def complete(error: Any, state: Any) -> None:
            outcome[0] = error

        handle = call(facts)
        ruleset.do_actions(handle, complete)
        if outcome[0]:
            raise EngineError([Diagnostic("X005", f"a rule action failed: {outcome[0]}")])


_shared: Engine | None = None


def shared_engine() -> Engine:
    """One engine per process (durable registers ruleset names process-wide)."""
    global _shared
    if _shared is None:
        _shared = Engine()
    return _shared
