"""Strongly connected components: the groups of nodes that reach each other."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def components(edges: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """Every node of ``edges`` in its component, sinks first: a component comes after every
    component it reaches. Targets that are not keys of ``edges`` are ignored.

    Tarjan's algorithm, iterative: a chain of references may be longer than Python's stack.
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in edges:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(edges[root]))]
        while work:
            node, targets = work[-1]
            for target in targets:
                if target not in edges:
                    continue
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(edges[target])))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    members: list[str] = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        members.append(member)
                        if member == node:
                            break
                    found.append(members[::-1])
    return found


def cycles(edges: Mapping[str, Sequence[str]]) -> list[set[str]]:
    """The components that hold a cycle: more than one node, or one that reaches itself."""
    return [
        set(group) for group in components(edges) if len(group) > 1 or group[0] in edges[group[0]]
    ]
