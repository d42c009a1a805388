"""The integration map: applications on a circle, an arrow for each data exchange, as SVG."""

import math
from dataclasses import dataclass


@dataclass
class Node:
    id: int
    label: str
    x: float
    y: float


@dataclass
class Edge:
    a: Node
    b: Node
    label: str
    two_way: bool


def layout(integrations, size: int = 640):
    nodes: dict[int, Node] = {}
    apps = {}
    for integration in integrations:
        apps[integration.source_id] = integration.source
        apps[integration.target_id] = integration.target
    ordered = sorted(apps.values(), key=lambda app: app.nama)
    radius = size / 2 - 90
    for index, app in enumerate(ordered):
        angle = 2 * math.pi * index / max(len(ordered), 1) - math.pi / 2
        nodes[app.pk] = Node(
            app.pk,
            app.singkatan or app.nama[:24],
            size / 2 + radius * math.cos(angle),
            size / 2 + radius * math.sin(angle),
        )
    edges = [
        Edge(nodes[i.source_id], nodes[i.target_id], i.data[:40], i.arah == "dua_arah")
        for i in integrations
    ]
    return list(nodes.values()), edges
