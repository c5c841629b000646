// A week calendar for choosing a time: press on free time and drag, click, or use the keyboard.
// Everything while dragging happens here in the browser; the server hears once, on release.
import React, { useEffect, useRef, useState } from "react";

const ROW_HEIGHT = 22;
const STATE_WORDS = {
  open: "open",
  free: "available",
  unavailable: "unavailable",
  your_request: "your request",
  your_appointment: "your appointment",
};
const CELL_STYLES = {
  open: { background: "var(--color-panel-solid)", cursor: "default" },
  free: { background: "var(--color-panel-solid)", cursor: "pointer" },
  unavailable: {
    background:
      "repeating-linear-gradient(135deg, var(--gray-3), var(--gray-3) 6px, var(--gray-4) 6px, var(--gray-4) 12px)",
    cursor: "not-allowed",
  },
  your_request: { background: "var(--amber-3)", cursor: "default" },
  your_appointment: { background: "var(--teal-3)", cursor: "default" },
};

function minutesLabel(startLabel, minutes) {
  return `${startLabel} · ${minutes} min`;
}

// The allowed length nearest to what the pointer asks for (never shorter than the shortest).
function snapLength(allowed, wantedMinutes) {
  let best = allowed[0];
  for (const length of allowed) {
    if (Math.abs(length - wantedMinutes) < Math.abs(best - wantedMinutes)) best = length;
  }
  return best;
}

export function WeekPicker({
  days = [],
  rows = [],
  states = [],
  lengths = [],
  starts = [],
  increment = 15,
  marks = [],
  selected = null,
  label = "Calendar",
  onSelect,
  onOpenMark,
}) {
  const [drag, setDrag] = useState(null); // {day, row, minutes} while the pointer is down
  const [chosen, setChosen] = useState(null); // drawn at once; replaced by `selected` from the server
  const [active, setActive] = useState(null); // the keyboard's cell; none on a read-only week
  const bodyRef = useRef(null);
  const moved = useRef(false);

  // Keys can arrive faster than React re-renders, so the keyboard's cell is also kept in a ref
  // and focus moves at once rather than in an effect.
  const activeRef = useRef(null);
  activeRef.current = active;

  useEffect(() => setChosen(null), [selected, states]);

  // The server sends a new `states` array with every update of the same week (a refresh, another
  // client's booking), so the keyboard's cell is kept until another week is shown; only then, or
  // when it has none, does it start again on the week's first free cell.
  const weekKey = days.length > 0 ? days[0].key : null;
  const cursorWeek = useRef(undefined);
  useEffect(() => {
    const sameWeek = cursorWeek.current === weekKey;
    cursorWeek.current = weekKey;
    const current = activeRef.current;
    if (sameWeek && current && current.day < days.length && current.row < rows.length) return;
    let first = null;
    for (let d = 0; d < states.length && first === null; d++) {
      const r = (states[d] || []).indexOf("free");
      if (r >= 0) first = { day: d, row: r };
    }
    activeRef.current = first;
    setActive(first);
  }, [weekKey, states, days.length, rows.length]);

  const stateAt = (d, r) => (states[d] || [])[r] || "unavailable";
  const lengthsAt = (d, r) => (lengths[d] || [])[r] || [];

  const choose = (d, r, minutes) => {
    setChosen({ day: d, row: r, minutes });
    if (onSelect) onSelect(starts[d][r], minutes);
  };

  const cellFromPoint = (x, y) => {
    const element = document.elementFromPoint(x, y);
    const cell = element && element.closest ? element.closest("[data-cell]") : null;
    if (!cell || !bodyRef.current || !bodyRef.current.contains(cell)) return null;
    return { day: Number(cell.dataset.day), row: Number(cell.dataset.row) };
  };

  const onPointerDown = (event) => {
    if (event.button !== undefined && event.button !== 0) return;
    const cell = cellFromPoint(event.clientX, event.clientY);
    if (!cell || stateAt(cell.day, cell.row) !== "free") return;
    event.preventDefault();
    moved.current = false;
    bodyRef.current.setPointerCapture(event.pointerId);
    setActive(cell);
    setDrag({ ...cell, minutes: lengthsAt(cell.day, cell.row)[0] });
  };

  const onPointerMove = (event) => {
    if (!drag) return;
    const cell = cellFromPoint(event.clientX, event.clientY);
    if (!cell || cell.day !== drag.day) return;
    moved.current = true;
    const wanted = Math.max(1, cell.row - drag.row + 1) * increment;
    const minutes = snapLength(lengthsAt(drag.day, drag.row), wanted);
    if (minutes !== drag.minutes) setDrag({ ...drag, minutes });
  };

  const onPointerUp = (event) => {
    if (!drag) return;
    if (bodyRef.current.hasPointerCapture(event.pointerId)) {
      bodyRef.current.releasePointerCapture(event.pointerId);
    }
    choose(drag.day, drag.row, drag.minutes);
    setDrag(null);
  };

  const onKeyDown = (event) => {
    const current = activeRef.current;
    if (!current) return;
    const moves = { ArrowUp: [0, -1], ArrowDown: [0, 1], ArrowLeft: [-1, 0], ArrowRight: [1, 0] };
    if (moves[event.key]) {
      event.preventDefault();
      const [dx, dy] = moves[event.key];
      const next = {
        day: Math.min(Math.max(current.day + dx, 0), days.length - 1),
        row: Math.min(Math.max(current.row + dy, 0), rows.length - 1),
      };
      activeRef.current = next;
      setActive(next);
      const cell = bodyRef.current.querySelector(`[data-day="${next.day}"][data-row="${next.row}"]`);
      if (cell) cell.focus();
      return;
    }
    if ((event.key === "Enter" || event.key === " ") && stateAt(current.day, current.row) === "free") {
      event.preventDefault();
      choose(current.day, current.row, lengthsAt(current.day, current.row)[0]);
    }
  };

  const shown = drag || chosen || selected;
  const columns = `64px repeat(${days.length}, minmax(0, 1fr))`;

  const overlay = (item, key, style, text, onOpen) => (
    <div
      key={key}
      aria-hidden={onOpen ? undefined : "true"}
      style={{
        gridColumn: item.day + 2,
        gridRow: `${item.row + 1} / span ${Math.max(1, Math.ceil(item.minutes / increment))}`,
        position: "relative",
        pointerEvents: onOpen ? "auto" : "none",
        zIndex: 2,
      }}
    >
      <div
        role={onOpen ? "button" : undefined}
        tabIndex={onOpen ? 0 : undefined}
        aria-label={onOpen ? item.label || text : undefined}
        onClick={onOpen}
        onKeyDown={onOpen ? (event) => (event.key === "Enter" || event.key === " ") && onOpen() : undefined}
        onPointerDown={onOpen ? (event) => event.stopPropagation() : undefined}
        style={{
          cursor: onOpen ? "pointer" : "default",
          position: "absolute",
          inset: "1px 3px auto 3px",
          height: `${(item.minutes / increment) * ROW_HEIGHT - 2}px`,
          borderRadius: "6px",
          padding: "2px 6px",
          fontSize: "11px",
          lineHeight: "15px",
          overflow: "hidden",
          ...style,
        }}
      >
        {text}
      </div>
    </div>
  );

  return (
    <div style={{ width: "100%", userSelect: "none" }}>
      <div style={{ display: "grid", gridTemplateColumns: columns, marginBottom: "4px" }} aria-hidden="true">
        <div />
        {days.map((day) => (
          <div key={day.key} style={{ textAlign: "center", fontSize: "13px", fontWeight: 600, padding: "6px 0" }}>
            {day.short}
          </div>
        ))}
      </div>
      <div
        ref={bodyRef}
        role="grid"
        aria-label={label}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={() => setDrag(null)}
        onKeyDown={onKeyDown}
        style={{
          display: "grid",
          gridTemplateColumns: columns,
          gridAutoRows: `${ROW_HEIGHT}px`,
          touchAction: "none",
          border: "1px solid var(--gray-5)",
          borderRadius: "10px",
          overflow: "hidden",
        }}
      >
        {rows.map((row, r) => (
          <div role="row" key={row.key} style={{ display: "contents" }}>
            <div
              role="rowheader"
              style={{
                gridColumn: 1,
                gridRow: r + 1,
                fontSize: "11px",
                color: "var(--gray-11)",
                textAlign: "right",
                paddingRight: "8px",
                borderTop: row.hour ? "1px solid var(--gray-5)" : "none",
              }}
            >
              {row.hour ? row.label : ""}
            </div>
            {days.map((day, d) => {
              const state = stateAt(d, r);
              const isActive = active !== null && active.day === d && active.row === r;
              return (
                <div
                  key={day.key}
                  role="gridcell"
                  data-cell=""
                  data-day={d}
                  data-row={r}
                  data-state={state}
                  tabIndex={isActive ? 0 : -1}
                  aria-label={`${day.long}, ${row.label}, ${STATE_WORDS[state] || state}`}
                  aria-disabled={state !== "free"}
                  onDoubleClick={() => state === "free" && choose(d, r, lengthsAt(d, r)[0])}
                  style={{
                    gridColumn: d + 2,
                    gridRow: r + 1,
                    borderLeft: "1px solid var(--gray-4)",
                    borderTop: row.hour ? "1px solid var(--gray-5)" : "1px dashed var(--gray-3)",
                    outline: isActive ? "2px solid var(--teal-8)" : "none",
                    outlineOffset: "-2px",
                    ...CELL_STYLES[state],
                  }}
                />
              );
            })}
          </div>
        ))}
        {marks.map((mark, i) =>
          overlay(
            mark,
            `mark-${i}`,
            {
              background: mark.tone === "request" ? "var(--amber-4)" : "var(--teal-4)",
              border: `1px ${mark.tone === "request" ? "dashed var(--amber-9)" : "solid var(--teal-8)"}`,
              color: "var(--gray-12)",
            },
            mark.text,
            onOpenMark && mark.id ? () => onOpenMark(mark.id) : undefined,
          ),
        )}
        {shown && rows[shown.row]
          ? overlay(
              shown,
              "selection",
              { background: "var(--teal-9)", color: "white", boxShadow: "0 2px 6px rgba(0,0,0,0.2)" },
              minutesLabel(rows[shown.row].label, shown.minutes),
            )
          : null}
      </div>
    </div>
  );
}
