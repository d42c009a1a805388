"""The integration map: applications on a circle, an arrow for each data exchange, as SVG."""

import math
from dataclasses import dataclass


@dataclass
class Node:
    id: int
    label: str
    x: int  # whole pixels: a localised decimal comma would break the SVG
    y: int


@dataclass
class Edge:
    a: Node
    b: Node
    label: str
    two_way: bool

    def _trimmed(self, gap: float = 30):
        """End points moved off the circles, so the arrow heads are not hidden under them."""
        dx, dy = self.b.x - self.a.x, self.b.y - self.a.y
        length = math.hypot(dx, dy) or 1.0
        ux, uy = dx / length, dy / length
        return (
            round(self.a.x + ux * gap),
            round(self.a.y + uy * gap),
            round(self.b.x - ux * gap),
            round(self.b.y - uy * gap),
        )

    @property
    def x1(self):
        return self._trimmed()[0]

    @property
    def y1(self):
        return self._trimmed()[1]

    @property
    def x2(self):
        return self._trimmed()[2]

    @property
    def y2(self):
        return self._trimmed()[3]


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
            round(size / 2 + radius * math.cos(angle)),
            round(size / 2 + radius * math.sin(angle)),
        )
    edges = [
        Edge(nodes[i.source_id], nodes[i.target_id], i.data[:40], i.arah == "dua_arah")
        for i in integrations
    ]
    return list(nodes.values()), edges
