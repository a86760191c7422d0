"""The checked SQL of a rule (``vigil.rules.sql``) as an Ibis filter over the sign-ins.

The grammar is the few forms ``build_query`` lets through: ``and``/``or``/``not``, ``coalesce(test,
false)``, comparisons, ``lower``, ``startswith``/``endswith``/``contains``, ``rlike``, ``is null``,
columns and literals. Each becomes the Ibis operation of the same meaning, so that DuckDB and Spark
compile it in their own dialect and the rule's values reach them as literals, never as SQL text.
String literals are lower-cased here, once, so that both engines compare with the same text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ibis
import sqlglot
from sqlglot import exp

from vigil.rules.sql import RuleSQLError

_COMPARE: dict[type[exp.Expression], Callable[[Any, Any], Any]] = {
    exp.EQ: lambda a, b: a == b,
    exp.NEQ: lambda a, b: a != b,
    exp.GT: lambda a, b: a > b,
    exp.GTE: lambda a, b: a >= b,
    exp.LT: lambda a, b: a < b,
    exp.LTE: lambda a, b: a <= b,
}


def rule_filter(query: str, table: ibis.Table) -> Any:
    """The boolean Ibis expression of ``query``'s WHERE clause over ``table``."""
    select = sqlglot.parse_one(query, read="spark")
    where = select.args.get("where")
    if not isinstance(select, exp.Select) or where is None:
        raise RuleSQLError("not a rule query")
    return _expr(where.this, table)


def _expr(node: exp.Expression, t: ibis.Table) -> Any:
    if isinstance(node, exp.And):
        return _expr(node.this, t) & _expr(node.expression, t)
    if isinstance(node, exp.Or):
        return _expr(node.this, t) | _expr(node.expression, t)
    if isinstance(node, exp.Not):
        return ~_expr(node.this, t)
    if isinstance(node, exp.Paren):
        return _expr(node.this, t)
    if isinstance(node, exp.Coalesce):
        return ibis.coalesce(*(_expr(e, t) for e in (node.this, *node.expressions)))
    compare = _COMPARE.get(type(node))
    if compare is not None:
        return compare(_expr(node.this, t), _expr(node.expression, t))
    if isinstance(node, exp.Is):
        if not isinstance(node.expression, exp.Null):
            raise RuleSQLError("only IS NULL is supported")
        return _expr(node.this, t).isnull()
    if isinstance(node, exp.StartsWith):
        return _expr(node.this, t).startswith(_expr(node.expression, t))
    if isinstance(node, exp.EndsWith):
        return _expr(node.this, t).endswith(_expr(node.expression, t))
    if isinstance(node, exp.Contains):
        return _expr(node.this, t).contains(_expr(node.expression, t))
    if isinstance(node, exp.RegexpLike):
        pattern = node.expression
        if not (isinstance(pattern, exp.Literal) and pattern.is_string):
            raise RuleSQLError("a regular expression must be a literal")
        return _expr(node.this, t).re_search(pattern.this)
    if isinstance(node, exp.Lower):
        inner = node.this
        if isinstance(inner, exp.Literal) and inner.is_string:
            return ibis.literal(inner.this.lower(), type="string")
        return _expr(inner, t).lower()
    if isinstance(node, exp.Column):
        if node.table or node.name not in t.columns:
            raise RuleSQLError(f"no sign-in column {node.sql()!r}")
        return t[node.name]
    if isinstance(node, exp.Literal):
        if node.is_string:
            return ibis.literal(node.this, type="string")
        number = float(node.this)
        return ibis.literal(int(number) if number.is_integer() and "." not in node.this else number)
    if isinstance(node, exp.Neg):
        return -_expr(node.this, t)
    if isinstance(node, exp.Boolean):
        return ibis.literal(bool(node.this))
    if isinstance(node, exp.Null):
        return ibis.null()
    raise RuleSQLError(f"{type(node).__name__} is not supported in a rule query")
