"""Engine stage: the only module that imports durable_rules. Runs one case in its own session.

Traps handled here (see ../shared/durable-notes.md):
- durable's Host starts timer threads that dispatch actions in the background; we call durable's C
  module (`durable_rules_engine`) the way its `durable.engine.Ruleset` does, and run the activations
  ourselves (`Engine._run`, the C calls of durable's own `do_actions`), so every action runs
  synchronously inside `evaluate`, nothing happens behind our back, and durable's Python layer (its
  per-action JSON round trips, and ~14 ms of imports at every start) is not paid for;
- a ruleset name registers once per process: each compiled ruleset gets its own name, kept here;
- each evaluation uses a fresh session id and deletes it in `finally` (at most 1,024 live);
- an exception inside an action is recorded and the remaining activations run, as durable does; then
  evaluate raises EngineError (X005); a C error inside an action taints the process (X003);
- after an error inside the C engine, the process is tainted: no further evaluation runs in it;
- a fact that completes no activation makes delete_state segfault: the compiler adds sink rules
  (needed: tests/engine/test_engine.py); their activations are completed without being parsed.
"""
from __future__ import annotations

import itertools
import json
import os
import threading
from dataclasses import dataclass, field
from typing import Any, Callable

from .compiler import Branch, Compiled
from ..errors import Diagnostic, EngineError
from ..i18n import said
from ..model import Firing

REINSTALL = ('CPPFLAGS="-DPyEval_CallObject=PyObject_CallObject" '
             "pip install --no-cache-dir --force-reinstall --no-binary durable-rules durable-rules==2.0.28")


def _import() -> tuple[Any, str]:
    try:
        import durable_rules_engine
    except ImportError as exc:
        if "PyEval_CallObject" in str(exc):
            raise EngineError([Diagnostic(
                "X001", said("durable_rules 在编译时缺少 Python 3.13+ 所需的修补",
                             "durable_rules was built without the fix it needs on Python 3.13+"),
                hint=said(f"带着修补重新安装（scripts/install 会这样做）：{REINSTALL}",
                          f"reinstall it with the fix (scripts/install does this): {REINSTALL}"))]) from None
        raise EngineError([Diagnostic("X001", said(f"durable_rules 没有安装或无法载入（{exc}）",
                                                   f"durable_rules is not installed or cannot load ({exc})"),
                                      hint=said("运行 scripts/install，或者：pip install durable-rules==2.0.28",
                                                "run scripts/install, or: pip install durable-rules==2.0.28"))]) from None
    return durable_rules_engine, _version(durable_rules_engine.__file__)


def _version(module_file: str) -> str:
    """durable_rules' installed version, from the name of its dist-info folder next to its C module: a
    directory listing, where importlib.metadata would cost ~12 ms of every start (imports and a scan)."""
    site = os.path.dirname(os.path.abspath(module_file))
    try:
        names = sorted(n for n in os.listdir(site) if n.startswith("durable_rules-") and n.endswith(".dist-info"))
    except OSError:
        names = []
    if len(names) == 1:
        return names[0][len("durable_rules-"):-len(".dist-info")]
    try:  # several or none (an odd install): ask the metadata
        from importlib.metadata import version
        return version("durable_rules")
    except Exception:  # pragma: no cover - metadata missing in odd installs
        return "unknown"


@dataclass
class _Session:
    """What one evaluation collects while its actions run."""

    sid: str
    firings: list[Firing] = field(default_factory=list)
    derived: set[str] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)


Action = Callable[[_Session, dict[str, Any]], None]


class _Refused(Exception):
    """durable refused a fact: it matched no rule (1), or one like it was already observed (2)."""

    def __init__(self, code: int, facts: str):
        why = "no rule takes it" if code == 1 else "an equal fact was already asserted"
        super().__init__(f"{why}: {facts[:300]}")


def _state(result: Any, facts: str) -> int:
    """The session handle an assertion returns (as durable.engine.Ruleset._handle_result reads it)."""
    if result[0] in (1, 2):
        raise _Refused(result[0], facts)
    return 0 if result[0] == 3 else int(result[1])


def _actions(c: Any, handle: int, compiled: Compiled) -> dict[str, Action | None]:
    """Each durable rule name -> what its activation does (None: a sink rule, nothing)."""
    groups = compiled.derived_groups  # a derived fact goes only to the groups whose rules test it
    table: dict[str, Action | None] = {}

    def assert_fact(fact: dict[str, Any]) -> None:
        text = json.dumps(fact, ensure_ascii=False)
        _state(c.assert_fact(handle, text), text)

    def bind(branch: Branch) -> Action:
        any_loans = tuple(alias for alias, q in branch.loans if q.kind == "any")
        tested = tuple(name for _, name, negated in branch.derived if not negated)

        def action(session: _Session, matched: dict[str, Any]) -> None:
            added = []
            for fact in branch.derive:
                if fact not in session.derived:
                    session.derived.add(fact)
                    added.append(fact)
                    for g in groups.get(fact, ()):
                        assert_fact({"t": "derived", "g": g, "name": fact, "sid": session.sid})
            session.firings.append(Firing(
                len(session.firings), branch.rule, branch.index, _strip(matched.get("c")),
                tuple(_matched(matched[alias]) for alias in any_loans), tested, tuple(added)))
        return action

    for name in compiled.definition:
        table[name] = None if name.startswith("__sink_") else bind(compiled.branches[name])
    return table


def _strip(fact: Any) -> dict[str, Any] | None:
    if fact is None:
        return None
    return _matched(fact)


def _matched(fact: Any) -> dict[str, Any]:
    """A matched fact without durable's bookkeeping properties."""
    return {k: v for k, v in fact.items() if k not in ("sid", "t", "g")}


class Engine:
    """Registers compiled rulesets once and evaluates cases, one fresh session each."""

    def __init__(self) -> None:
        self._c, self.version = _import()
        self._rulesets: dict[str, tuple[int, dict[str, Action | None]]] = {}
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
        # As durable.engine.Ruleset does, without importing it (~14 ms of every start): the definition
        # without the action names, which the C engine does not take.
        definition = {name: {k: v for k, v in rule.items() if k != "run"} for name, rule in compiled.definition.items()}
        try:
            handle = self._c.create_ruleset(compiled.name, json.dumps(definition, ensure_ascii=False))
        except Exception as exc:
            raise EngineError([Diagnostic("X002", said(f"durable_rules 拒绝了编译好的规则：{exc}",
                                                       f"durable_rules rejected the compiled rules: {exc}"),
                                          hint=said("这是 advisor 编译器的缺陷；请报告",
                                                    "this is a bug in the advisor's compiler; please report it"))]) from None
        self._rulesets[compiled.name] = (handle, _actions(self._c, handle, compiled))

    def evaluate(self, compiled: Compiled, case: dict[str, Any], loans: list[dict[str, Any]]) -> tuple[Firing, ...]:
        """Assert the case's facts in a new session, run every action, delete the session."""
        if self._tainted:
            raise EngineError([Diagnostic("X004", said(f"规则引擎在这个进程里早先出过错（{self._tainted}），不能再评估案例",
                                                       "the rules engine failed earlier in this process "
                                                       f"({self._tainted}); it cannot evaluate more cases"),
                                          hint=said("重新启动一个进程", "start a new process"))])
        handle, actions = self._rulesets[compiled.name]
        c = self._c
        with self._lock:
            sid = f"case-{next(self._ids)}"
            session = _Session(sid)
            facts = []
            for g in range(compiled.groups):
                facts.append({**case, "sid": sid, "t": "case", "g": g})
                facts.extend({**loan, "sid": sid, "t": "loan", "g": g} for loan in loans)
            delete = True
            try:
                text = json.dumps(facts, ensure_ascii=False)
                self._run(handle, actions, session, _state(c.assert_facts(handle, text), text))
                for n in range(1, compiled.phases + 1):
                    # A phase fact per group that has rules waiting for it: a node of durable holds at most
                    # 256 waiting rules (error 108), so each group's gates hang under their own node.
                    gates = [{"sid": sid, "t": "phase", "n": n, "g": g} for g in compiled.phase_groups.get(n, ())]
                    if gates:
                        text = json.dumps(gates, ensure_ascii=False)
                        self._run(handle, actions, session, _state(c.assert_facts(handle, text), text))
            except _Refused as exc:
                raise EngineError([Diagnostic("X006", said(f"规则引擎拒绝了一个事实：{exc}",
                                                           f"the rules engine refused a fact: {exc}"),
                                              hint=said("这是 advisor 本身的缺陷；请报告",
                                                        "this is a bug in the advisor; please report it"))]) from None
            except self._c.error as exc:
                delete = False  # deleting a session after a C error can crash the process
                self._tainted = str(exc)
                raise EngineError([Diagnostic("X003", said(f"规则引擎出错了：{exc}", f"the rules engine failed: {exc}"),
                                              hint=said("请报告这个案例和规则集；这个进程必须重新启动",
                                                        "report this case and rule set; the process must restart"))]
                                  ) from None
            finally:
                if delete:
                    c.delete_state(handle, sid)
        if session.errors:
            detail = "; ".join(session.errors)[:500]
            raise EngineError([Diagnostic("X005", said(f"一条规则的动作失败了：{detail}", f"a rule action failed: {detail}"),
                                          hint=said("这是 advisor 本身的缺陷；请连同案例一起报告",
                                                    "this is a bug in the advisor; please report it with the case"))])
        return tuple(session.firings)

    def _run(self, handle: int, actions: dict[str, Action | None], session: _Session, state: int) -> None:
        """Run every activation the last assertion made, in durable's order, until none is left.

        This is durable's own `Ruleset.do_actions` loop without what the advisor does not use: our actions
        never change the session state, so it is not parsed, wrapped or written back after each action
        (`update_state`), and a sink rule's activation is completed without parsing its message."""
        c = self._c
        started = c.start_action_for_state(handle, state)
        message = None if started is None else started[1]
        while message is not None:
            if not message.startswith('{"__sink_'):
                (name, matched), = json.loads(message).items()
                action = actions[name]
                if action is not None:
                    try:
                        action(session, matched)
                    except c.error:
                        raise                  # the C engine failed inside the action: the process is tainted
                    except Exception as exc:   # durable would have stored it and gone on: so do we
                        session.errors.append(f"{name.split('#')[0]}: {type(exc).__name__}: {exc}")
            message = c.complete_and_start_action(handle, state)


_shared: Engine | None = None


def shared_engine() -> Engine:
    """One engine per process (durable registers ruleset names process-wide)."""
    global _shared
    if _shared is None:
        _shared = Engine()
    return _shared
