"""The official SOP sheet (national format, PermenPAN 35/2012 style) laid out as pages of primitives.

Page 1 is the identity header; the following pages hold the procedure table: No, Uraian
Prosedur, one column per pelaksana with the flowchart (capsule for start and end, rectangle for an
activity, diamond for a decision with Ya/Tidak, arrows), the Mutu Baku columns and Keterangan.
Where the table breaks a page, off-page connectors carry the flow over. Keterangan holds each
step's notes from the apps that give them (sop.hooks.step_notes: the national development stage
of the SPBE mapping).
"""

from django.conf import settings

from simpatik.sop import hooks
from simpatik.sop.sheet.primitives import Box, Image, Page, Path, Text, paragraph

W, H = 842.0, 595.0  # A4 landscape, points
MARGIN = 28.0
COLUMNS = [
    ("no", 22),
    ("uraian", 170),
    ("lanes", 290),
    ("kelengkapan", 112),
    ("waktu", 48),
    ("output", 88),
    ("ket", 56),
]
STATUS_FILL = {"done": "#dff1e4", "current": "#dbe9f7"}
SYMBOL_FILL = {"done": "#1b7f3b", "current": "#0b4f8a"}


def _column_x():
    xs, x = {}, MARGIN
    for name, width in COLUMNS:
        xs[name] = (x, width)
        x += width
    return xs


def identity_page(definition, notes: dict | None = None) -> Page:
    ident = definition.identitas
    page = Page(W, H)
    left_w, right_w = 380.0, W - 2 * MARGIN - 380.0
    top = MARGIN
    head_h = 150.0
    page.add(Box(MARGIN, top, left_w, head_h), Box(MARGIN + left_w, top, right_w, head_h))
    logo = settings.SIMPATIK_LOGO_FILE
    if logo:
        page.add(Image(MARGIN + left_w / 2 - 22, top + 8, 44, 52, logo))
    else:  # the placeholder until the installation provides its logo
        page.add(
            Box(
                MARGIN + left_w / 2 - 22,
                top + 8,
                44,
                52,
                fill="#0b4f8a",
                stroke="#d4a017",
                width=2,
                radius=6,
            )
        )
    y = top + 72
    for line, size in [
        (ident.get("instansi", ""), 9),
        (ident.get("dinas", ""), 9),
        (ident.get("bidang", ""), 7.5),
        (ident.get("seksi", ""), 7),
    ]:
        texts, used = paragraph(
            MARGIN + 10, y, str(line).upper(), left_w - 20, size, True, anchor="middle"
        )
        page.add(*texts)
        y += used + 2
    approved = ident.get("disahkan_oleh") or {}
    rows = [
        ("Nomor SOP", ident.get("nomor_sop") or "-"),
        ("Tanggal Pembuatan", ident.get("tanggal_pembuatan") or "-"),
        ("Tanggal Revisi", ident.get("tanggal_revisi") or "-"),
        ("Tanggal Efektif", ident.get("tanggal_efektif") or "-"),
        (
            "Disahkan oleh",
            f"{approved.get('jabatan', '')}\n{approved.get('nama', '')}\nNIP. {approved.get('nip', '')}",
        ),
        ("Nama SOP", ident.get("judul", "")),
    ]
    label_w = 100.0
    y = top
    heights = [14, 14, 14, 14, 44, head_h - 100]
    for (label, value), h in zip(rows, heights, strict=True):
        x = MARGIN + left_w
        page.add(Box(x, y, label_w, h), Box(x + label_w, y, right_w - label_w, h))
        page.add(Text(x + 4, y + 10, label, 7, True))
        line_y = y + 2
        for part in str(value).split("\n"):
            texts, used = paragraph(
                x + label_w + 4, line_y, part, right_w - label_w - 8, 7, label == "Nama SOP"
            )
            page.add(*texts)
            line_y += used
        y += h
    y = top + head_h + 6
    pairs = [
        (
            "Dasar Hukum",
            ident.get("dasar_hukum", []),
            "Kualifikasi Pelaksana",
            ident.get("kualifikasi_pelaksana", []),
        ),
        (
            "Keterkaitan",
            ident.get("keterkaitan", []),
            "Peralatan/Perlengkapan",
            ident.get("peralatan_perlengkapan", []),
        ),
        (
            "Peringatan",
            [ident.get("peringatan", "")],
            "Pencatatan dan Pendataan",
            [ident.get("pencatatan_pendataan", "")],
        ),
    ]
    half = (W - 2 * MARGIN) / 2
    for title_l, items_l, title_r, items_r in pairs:
        blocks = []
        height = 0.0
        for x, title, items in [(MARGIN, title_l, items_l), (MARGIN + half, title_r, items_r)]:
            texts, used = _numbered(x + 4, y + 14, items, half - 8, numbered=len(items) > 1)
            blocks.append((x, title, texts))
            height = max(height, used + 18)
        for x, title, texts in blocks:
            page.add(Box(x, y, half, height), Text(x + 4, y + 10, f"{title}:", 7.5, True), *texts)
        y += height
    notes = mutu_baku_notes(definition) + (
        ["Kolom Ket memuat tahap pembangunan aplikasi tiap langkah menurut pemetaan SPBE."]
        if notes
        else []
    )
    texts, used = _numbered(MARGIN + 4, y + 14, notes, W - 2 * MARGIN - 8, numbered=True)
    page.add(
        Box(MARGIN, y, W - 2 * MARGIN, used + 18),
        Text(MARGIN + 4, y + 10, "Catatan Mutu Baku:", 7.5, True),
        *texts,
    )
    return page


def mutu_baku_notes(definition) -> list[str]:
    """How the Waktu of the Mutu Baku is kept: working days, reminders and escalation (`eskalasi`)."""
    rules = definition.escalation
    names = definition.role_names
    chains = []
    for role in definition.roles:
        above = definition.supervisors_of(role["key"])
        if above:
            chains.append(f"{role['nama']} → {names[above[0]]}")
    notes = [
        "Waktu dihitung dalam hari kerja: hari Sabtu, Minggu, libur nasional dan cuti bersama "
        "tidak dihitung; langkah yang ditangguhkan tidak berjalan waktunya.",
        f"Pelaksana diingatkan {rules['pengingat_sebelum']} hari kerja sebelum batas waktu "
        "langkahnya, dan setiap hari kerja setelah batas waktu terlewati.",
    ]
    if chains:
        notes.append(
            f"Setelah {rules['atasan_setelah']} hari kerja terlambat, atasan pelaksana ikut "
            f"diberi tahu setiap hari kerja: {'; '.join(chains)}."
        )
    return notes


def _numbered(x, y, items, width, numbered=True):
    texts, used = [], 0.0
    for index, item in enumerate(items, start=1):
        prefix = f"{index}. " if numbered else ""
        lines, h = paragraph(
            x + (10 if numbered else 0), y + used, str(item), width - (10 if numbered else 0), 6.8
        )
        if numbered:
            texts.append(Text(x, y + used + 6.8, prefix, 6.8))
        texts.extend(lines)
        used += h + 1.5
    return texts, used


def _header(page, y, roles, xs) -> float:
    h1, h2 = 14.0, 22.0
    for name, title in [("no", "No"), ("uraian", "Uraian Prosedur"), ("ket", "Ket")]:
        x, w = xs[name]
        page.add(
            Box(x, y, w, h1 + h2, fill="#e8ecf1"), Text(x + w / 2, y + 20, title, 7, True, "middle")
        )
    lx, lw = xs["lanes"]
    page.add(
        Box(lx, y, lw, h1, fill="#e8ecf1"),
        Text(lx + lw / 2, y + 10, "Pelaksana", 7, True, "middle"),
    )
    lane_w = lw / len(roles)
    for index, role in enumerate(roles):
        x = lx + index * lane_w
        page.add(Box(x, y + h1, lane_w, h2, fill="#e8ecf1"))
        texts, _used = paragraph(
            x + 2, y + h1 + 2, role["nama"], lane_w - 4, 6.3, True, anchor="middle"
        )
        page.add(*texts)
    mx = xs["kelengkapan"][0]
    mw = sum(xs[n][1] for n in ("kelengkapan", "waktu", "output"))
    page.add(
        Box(mx, y, mw, h1, fill="#e8ecf1"),
        Text(mx + mw / 2, y + 10, "Mutu Baku", 7, True, "middle"),
    )
    for name, title in [("kelengkapan", "Kelengkapan"), ("waktu", "Waktu"), ("output", "Output")]:
        x, w = xs[name]
        page.add(
            Box(x, y + h1, w, h2, fill="#e8ecf1"),
            Text(x + w / 2, y + h1 + 13, title, 7, True, "middle"),
        )
    return y + h1 + h2


def _row_texts(step, xs, notes=()):
    uraian = step.uraian + ("".join(f"\n{item}" for item in step.items))
    kelengkapan = "; ".join(item.label for item in step.kelengkapan) or "-"
    cells = {
        "uraian": uraian,
        "kelengkapan": kelengkapan,
        "waktu": step.waktu_label,
        "output": step.output,
        "ket": "\n".join(notes),
    }
    laid, height = {}, 0.0
    for name, text in cells.items():
        x, w = xs[name]
        texts, used = [], 0.0
        for part in text.split("\n"):
            lines, h = paragraph(x + 3, 0, part, w - 6, 6.6)
            for line in lines:
                line.y += used + 3
            texts.extend(lines)
            used += h
        laid[name] = texts
        height = max(height, used + 6)
    return laid, max(height, 46.0)


def procedure_pages(
    definition, statuses: dict[int, str] | None = None, title: str = "", notes=None
) -> list[Page]:
    statuses = statuses or {}
    notes = notes or {}
    xs = _column_x()
    roles = definition.roles
    lane_x, lane_total = xs["lanes"]
    lane_w = lane_total / len(roles)
    lane_of = {role["key"]: index for index, role in enumerate(roles)}
    rows = [(step, *_row_texts(step, xs, notes.get(step.number, ()))) for step in definition.steps]
    pages, placed = (
        [],
        {},
    )  # placed: number -> (page index, centre x, centre y, half w, half h, row bottom)
    page, y = None, 0.0
    first = definition.steps[0].number
    connectors = iter("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    for step, texts, height in rows:
        if page is None or y + height > H - MARGIN:
            page = Page(W, H)
            pages.append(page)
            top = MARGIN
            if title:
                page.add(Text(MARGIN, MARGIN - 8, title, 8, True))
            y = _header(page, top, roles, xs)
        status = statuses.get(step.number, "")
        for name, width in COLUMNS:
            x = xs[name][0]
            page.add(Box(x, y, width, height, fill=STATUS_FILL.get(status)))
        for index in range(1, len(roles)):
            page.add(
                Path(
                    [(lane_x + index * lane_w, y), (lane_x + index * lane_w, y + height)], width=0.3
                )
            )
        page.add(Text(xs["no"][0] + xs["no"][1] / 2, y + 12, str(step.number), 7, True, "middle"))
        for items in texts.values():
            for item in items:
                item.y += y
            page.add(*items)
        cx = lane_x + lane_of[step.role] * lane_w + lane_w / 2
        cy = y + height / 2
        fill = SYMBOL_FILL.get(status, "#ffffff")
        if step.number == first or step.end:
            hw, hh = 24.0, 9.0
            page.add(Box(cx - hw, cy - hh, 2 * hw, 2 * hh, fill=fill, radius=hh))
        elif step.is_decision:
            hw, hh = 17.0, 13.0
            page.add(
                Path(
                    [(cx, cy - hh), (cx + hw, cy), (cx, cy + hh), (cx - hw, cy)],
                    closed=True,
                    fill=fill,
                )
            )
        else:
            hw, hh = 21.0, 10.0
            page.add(Box(cx - hw, cy - hh, 2 * hw, 2 * hh, fill=fill))
        page.add(
            Text(
                cx,
                cy + 2.5,
                str(step.number),
                7,
                True,
                "middle",
                "#ffffff" if status else "#000000",
            )
        )
        placed[step.number] = (len(pages) - 1, cx, cy, hw, hh, y + height)
        y += height
    _flows(pages, definition, placed, connectors, lane_x + lane_total)
    return pages


def _connector(page, x, y, label):
    page.add(
        Path(
            [(x - 7, y - 6), (x + 7, y - 6), (x + 7, y + 3), (x, y + 8), (x - 7, y + 3)],
            closed=True,
            fill="#ffffff",
        ),
        Text(x, y + 2, label, 6.5, True, "middle"),
    )


def _flows(pages, definition, placed, connectors, lanes_right):
    numbers = [step.number for step in definition.steps]
    channel = 0
    for step in definition.steps:
        flows = []
        if step.next is not None:
            flows.append((step.next, ""))
        for index, option in enumerate(step.decisions):
            flows.append((option.next, "Ya" if index == 0 else "Tidak"))
        if step.suspend:
            flows.append((step.suspend["resume_to"], "dilanjutkan"))
        for target, label in flows:
            src_page, sx, sy, shw, shh, s_bottom = placed[step.number]
            dst_page, tx, ty, thw, thh, _t_bottom = placed[target]
            page = pages[src_page]
            adjacent = numbers.index(target) == numbers.index(step.number) + 1
            if adjacent and src_page == dst_page and not step.suspend:
                mid = s_bottom
                points = [(sx, sy + shh), (sx, mid)]
                if tx != sx:
                    points += [(tx, mid)]
                points += [(tx, ty - thh)]
                page.add(Path(points, arrow=True))
                if label:
                    page.add(Text(sx + 3, sy + shh + 7, label, 6, False))
            elif src_page == dst_page:
                channel += 1
                cx = lanes_right - 4 - (channel % 4) * 4
                start = (sx + shw, sy)
                points = [start, (cx, sy), (cx, ty), (tx + thw, ty)]
                page.add(Path(points, arrow=True, dashed=bool(step.suspend)))
                page.add(Text(sx + shw + 2, sy - 3, label, 6))
            else:
                letter = next(connectors)
                # Off-page connector: the flow leaves this page and enters the target's page. A flow
                # going on leaves from the symbol's foot; one going back leaves from its right side.
                forward = src_page < dst_page
                if forward:
                    out_x, out_y = sx, s_bottom - 8
                    page.add(Path([(sx, sy + shh), (sx, out_y - 6)], arrow=True))
                    label_at = (sx + 3, sy + shh + 7)
                else:
                    out_x, out_y = sx + shw + 19, sy
                    page.add(Path([(sx + shw, sy), (sx + shw + 12, sy)], arrow=True))
                    label_at = (sx + shw + 2, sy - 8)
                _connector(page, out_x, out_y, letter)
                if label:
                    page.add(Text(*label_at, label, 6))
                # It enters the target from the left, clear of the header above a page's first row.
                target_page = pages[dst_page]
                _connector(target_page, tx - thw - 19, ty, letter)
                target_page.add(Path([(tx - thw - 12, ty), (tx - thw, ty)], arrow=True))


def sheet_pages(version, statuses=None) -> list[Page]:
    definition = version.definition
    title = f"{definition.identitas.get('judul', '')} — versi {version.version}"
    notes = hooks.step_notes(version)
    return [identity_page(definition, notes), *procedure_pages(definition, statuses, title, notes)]
