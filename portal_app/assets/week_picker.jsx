// A week calendar for choosing a time: press on free time and drag, click or tap it, or use the
// keyboard. Everything while dragging happens here in the browser; the server hears once, on release.
//
// Keyboard: arrows move the cursor, Enter or Space choose the cell at the preferred length,
// Shift+ArrowDown / Shift+ArrowUp make the chosen time at the cursor longer / shorter by the
// lengths the cell allows. On a narrow screen it shows three days (or one) at a time, with taller
// rows to tap and buttons for the other days; a touch scrolls the page, a tap chooses.
import React, { useEffect, useLayoutEffect, useRef, useState } from "react";

const ROW_HEIGHT = 22;
const TOUCH_ROW_HEIGHT = 36;
const HEADER_HEIGHT = 36;
const TIME_COLUMN = 64;
// Below this width (a phone) a day column would be too narrow to read or tap: fewer days at once.
const ALL_DAYS_FROM = 480;
const THREE_DAYS_FROM = 300;
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
const SCREEN_READER_ONLY = {
  position: "absolute",
  width: "1px",
  height: "1px",
  padding: 0,
  margin: "-1px",
  overflow: "hidden",
  clip: "rect(0, 0, 0, 0)",
  whiteSpace: "nowrap",
  border: 0,
};
const NAV_BUTTON = {
  all: "unset",
  boxSizing: "border-box",
  display: "inline-flex",
  alignItems: "center",
  justifyContent: "center",
  minWidth: "44px",
  height: "44px",
  borderRadius: "8px",
  fontSize: "20px",
  cursor: "pointer",
  background: "var(--gray-a3)",
  color: "var(--gray-12)",
};

function lengthsWords(allowed) {
  if (allowed.length === 0) return "";
  if (allowed.length === 1) return `${allowed[0]} min`;
  return `${allowed.slice(0, -1).join(", ")} or ${allowed[allowed.length - 1]} min`;
}

// The allowed length nearest to what the pointer asks for (never shorter than the shortest).
function snapLength(allowed, wantedMinutes) {
  let best = allowed[0];
  for (const length of allowed) {
    if (Math.abs(length - wantedMinutes) < Math.abs(best - wantedMinutes)) best = length;
  }
  return best;
}

// What a click, tap, Enter or Space chooses: the preferred length when the cell allows it, else
// the longest allowed one below it, else the shortest.
function preferredLength(allowed, preferred) {
  if (!preferred || allowed.length === 0) return allowed[0];
  if (allowed.includes(preferred)) return preferred;
  const shorter = allowed.filter((length) => length < preferred);
  return shorter.length > 0 ? shorter[shorter.length - 1] : allowed[0];
}

// Where each calendar (by its label) was, so a calendar drawn again for the same week (the wizard
// back from its review, or refreshed after a time was taken) shows the same days and cursor.
const remembered = new Map();

// "Nov 30 – Dec 2, 2026" for the days shown (their long names read "Mon, Nov 30, 2026").
function daysLabel(first, last) {
  if (first.key === last.key) return first.long;
  const [, firstDate] = first.long.split(", ");
  const [, lastDate, lastYear] = last.long.split(", ");
  return `${firstDate} – ${lastDate}, ${lastYear}`;
}

function useWidth(ref) {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    if (!ref.current) return undefined;
    setWidth(ref.current.getBoundingClientRect().width);
    if (typeof ResizeObserver === "undefined") return undefined;
    const observer = new ResizeObserver((entries) => setWidth(entries[0].contentRect.width));
    observer.observe(ref.current);
    return () => observer.disconnect();
  }, []);
  return width;
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
  length = 0,
  onSelect,
  onOpenMark,
}) {
  const weekKey = days.length > 0 ? days[0].key : null;
  const earlier = remembered.get(label);
  const resumed = earlier && earlier.weekKey === weekKey ? earlier : null;
  const [drag, setDrag] = useState(null); // {day, row, minutes} while the pointer is down
  const [chosen, setChosen] = useState(null); // drawn at once; replaced by `selected` from the server
  // The keyboard's cell; none on a read-only week.
  const [active, setActive] = useState(resumed ? resumed.active : null);
  const [focused, setFocused] = useState(false);
  const [firstShown, setFirstShown] = useState(resumed ? resumed.first : 0);
  const wrapRef = useRef(null);
  const bodyRef = useRef(null);
  const moved = useRef(false);
  const width = useWidth(wrapRef);

  const span = width === 0 || width >= ALL_DAYS_FROM ? days.length : width >= THREE_DAYS_FROM ? 3 : 1;
  const narrow = span < days.length;
  const rowHeight = narrow ? TOUCH_ROW_HEIGHT : ROW_HEIGHT;
  const first = Math.max(0, Math.min(firstShown, days.length - span));
  const shownDays = days.map((day, d) => ({ day, d })).slice(first, first + span);
  const isShown = (d) => d >= first && d < first + span;

  // Keys can arrive faster than React re-renders, so the keyboard's cell is also kept in a ref
  // and focus moves at once rather than in an effect.
  const activeRef = useRef(null);
  activeRef.current = active;

  useEffect(() => setChosen(null), [selected, states]);

  // The server sends a new `states` array with every update of the same week (a refresh, another
  // client's booking), so the keyboard's cell is kept until another week is shown; only then, or
  // when it has none, does it start again on the week's first free cell.
  const cursorWeek = useRef(resumed ? weekKey : undefined);
  useEffect(() => {
    const sameWeek = cursorWeek.current === weekKey;
    cursorWeek.current = weekKey;
    const current = activeRef.current;
    if (sameWeek && current && current.day < days.length && current.row < rows.length) return;
    let found = null;
    for (let d = 0; d < states.length && found === null; d++) {
      const r = (states[d] || []).indexOf("free");
      if (r >= 0) found = { day: d, row: r };
    }
    activeRef.current = found;
    setActive(found);
    if (!sameWeek) setFirstShown(0);
  }, [weekKey, states, days.length, rows.length]);

  // A time chosen elsewhere (kept from the Calendar tab, a request being changed) is shown.
  useEffect(() => {
    if (selected && !isShown(selected.day)) setFirstShown(selected.day);
  }, [selected, span]);

  useEffect(() => {
    remembered.set(label, { weekKey, first, active });
  });

  const stateAt = (d, r) => (states[d] || [])[r] || "unavailable";
  const lengthsAt = (d, r) => (lengths[d] || [])[r] || [];
  const shown = drag || chosen || selected;

  const choose = (d, r, minutes) => {
    setChosen({ day: d, row: r, minutes });
    if (onSelect) onSelect(starts[d][r], minutes);
  };

  const cellElement = (d, r) =>
    bodyRef.current ? bodyRef.current.querySelector(`[data-day="${d}"][data-row="${r}"]`) : null;

  const moveTo = (next) => {
    activeRef.current = next;
    setActive(next);
    if (!isShown(next.day)) {
      setFirstShown(next.day < first ? next.day : next.day - span + 1);
      // The column is drawn on the next render; focus it then.
      requestAnimationFrame(() => {
        const cell = cellElement(next.day, next.row);
        if (cell) cell.focus();
      });
      return;
    }
    const cell = cellElement(next.day, next.row);
    if (cell) cell.focus();
  };

  const cellFromPoint = (x, y) => {
    const element = document.elementFromPoint(x, y);
    const cell = element && element.closest ? element.closest("[data-cell]") : null;
    if (!cell || !bodyRef.current || !bodyRef.current.contains(cell)) return null;
    return { day: Number(cell.dataset.day), row: Number(cell.dataset.row) };
  };

  // A mouse or pen drags; a finger scrolls the page, and a tap chooses (see onClick).
  const onPointerDown = (event) => {
    if (event.pointerType === "touch") return;
    if (event.button !== undefined && event.button !== 0) return;
    const cell = cellFromPoint(event.clientX, event.clientY);
    if (!cell || stateAt(cell.day, cell.row) !== "free") return;
    event.preventDefault();
    moved.current = false;
    bodyRef.current.setPointerCapture(event.pointerId);
    activeRef.current = cell;
    setActive(cell);
    setDrag({ ...cell, minutes: preferredLength(lengthsAt(cell.day, cell.row), length) });
  };

  const onPointerMove = (event) => {
    if (!drag) return;
    const cell = cellFromPoint(event.clientX, event.clientY);
    if (!cell || cell.day !== drag.day) return;
    if (cell.row === drag.row && !moved.current) return;
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

  const onClick = (event) => {
    if (event.pointerType !== "touch" && !(event.nativeEvent && event.nativeEvent.pointerType === "touch")) {
      return; // a mouse's click was its pointerdown and pointerup
    }
    const cell = cellFromPoint(event.clientX, event.clientY);
    if (!cell || stateAt(cell.day, cell.row) !== "free") return;
    activeRef.current = cell;
    setActive(cell);
    choose(cell.day, cell.row, preferredLength(lengthsAt(cell.day, cell.row), length));
  };

  const onKeyDown = (event) => {
    const current = activeRef.current;
    if (!current) return;
    const free = stateAt(current.day, current.row) === "free";
    const allowed = lengthsAt(current.day, current.row);
    if (event.shiftKey && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      event.preventDefault();
      if (!free) return;
      const here = shown && shown.day === current.day && shown.row === current.row ? shown.minutes : null;
      const index = here === null ? -1 : allowed.indexOf(here);
      const next =
        event.key === "ArrowDown"
          ? Math.min(index + 1, allowed.length - 1)
          : Math.max(index === -1 ? 0 : index - 1, 0);
      choose(current.day, current.row, allowed[next]);
      return;
    }
    const moves = { ArrowUp: [0, -1], ArrowDown: [0, 1], ArrowLeft: [-1, 0], ArrowRight: [1, 0] };
    if (moves[event.key]) {
      event.preventDefault();
      const [dx, dy] = moves[event.key];
      moveTo({
        day: Math.min(Math.max(current.day + dx, 0), days.length - 1),
        row: Math.min(Math.max(current.row + dy, 0), rows.length - 1),
      });
      return;
    }
    if ((event.key === "Enter" || event.key === " ") && free) {
      event.preventDefault();
      choose(current.day, current.row, preferredLength(allowed, length));
    }
  };

  const showDays = (step) => {
    const next = Math.max(0, Math.min(first + step * span, days.length - span));
    setFirstShown(next);
    const row = activeRef.current ? activeRef.current.row : 0;
    activeRef.current = { day: next, row };
    setActive({ day: next, row });
  };

  const columns = `${TIME_COLUMN}px repeat(${shownDays.length}, minmax(0, 1fr))`;
  const gridRows = `${HEADER_HEIGHT}px repeat(${rows.length}, ${rowHeight}px)`;
  // Each row is its own grid of the same columns (not `display: contents`, which Chrome's Tab
  // order trips over), so the layer drawn over the rows lines up with them exactly.
  const rowStyle = (height) => ({
    display: "grid",
    gridTemplateColumns: columns,
    height: `${height}px`,
    boxSizing: "border-box",
  });
  const columnOf = (d) => d - first + 2;
  const spanOf = (minutes) => Math.max(1, Math.ceil(minutes / increment));
  const inSelection = (d, r) => !!shown && shown.day === d && r >= shown.row && r < shown.row + spanOf(shown.minutes);
  // The cell that takes Tab: the keyboard's cell when it is shown, else the shown days' first.
  const tabCell =
    active && isShown(active.day) ? active : { day: first, row: active ? active.row : 0 };

  const block = (item, key, style, content, extra = {}) => (
    <div
      key={key}
      style={{
        gridColumn: columnOf(item.day),
        gridRow: `${item.row + 2} / span ${spanOf(item.minutes)}`,
        position: "relative",
        pointerEvents: "none",
        zIndex: extra.zIndex || 2,
      }}
    >
      <div
        {...extra.props}
        style={{
          position: "absolute",
          inset: "1px 3px auto 3px",
          height: `${(item.minutes / increment) * rowHeight - 2}px`,
          borderRadius: "6px",
          padding: "2px 6px",
          fontSize: "12px",
          lineHeight: "16px",
          overflow: "hidden",
          ...style,
        }}
      >
        {content}
      </div>
    </div>
  );

  const markBlock = (mark, i) => {
    const open = onOpenMark && mark.id ? () => onOpenMark(mark.id) : null;
    return block(
      mark,
      `mark-${i}`,
      {
        background: mark.tone === "request" ? "var(--amber-4)" : "var(--teal-4)",
        border: `1px ${mark.tone === "request" ? "dashed var(--amber-9)" : "solid var(--teal-8)"}`,
        color: "var(--gray-12)",
        // A block too short for two lines keeps its one line whole, cut at the end.
        whiteSpace: (mark.minutes / increment) * rowHeight < 38 ? "nowrap" : "normal",
        textOverflow: "ellipsis",
        cursor: open ? "pointer" : "default",
        pointerEvents: open ? "auto" : "none",
        textAlign: "left",
        boxSizing: "border-box",
        width: "calc(100% - 6px)",
      },
      mark.text,
      open
        ? {
            props: {
              role: "button",
              tabIndex: 0,
              "aria-label": mark.label || mark.text,
              onClick: open,
              onKeyDown: (event) => {
                if (event.key === "Enter" || event.key === " ") {
                  event.preventDefault();
                  open();
                }
              },
              className: "week-picker-mark",
            },
          }
        : { props: { "aria-hidden": "true" } },
    );
  };

  const selectionBlock =
    shown && rows[shown.row] && isShown(shown.day)
      ? block(
          shown,
          "selection",
          {
            background: "var(--teal-11)",
            color: "white",
            fontWeight: 600,
            boxShadow: "0 2px 6px rgba(0,0,0,0.2)",
            whiteSpace: "nowrap",
            textOverflow: "ellipsis",
          },
          <>
            <div style={{ overflow: "hidden", textOverflow: "ellipsis" }}>{rows[shown.row].label}</div>
            <div style={{ overflow: "hidden", textOverflow: "ellipsis", fontWeight: 400 }}>
              {shown.minutes} min
            </div>
          </>,
          { props: { "aria-hidden": "true", "data-selection": "" } },
        )
      : null;

  // The keyboard's cursor is drawn above the selection so the focus never hides under it. It stays
  // in the page and is only hidden on blur: removing a node while focus moves on makes the
  // dialog's focus trap (which sees the focus on <body> for that instant) take the focus back.
  const cursorBlock =
    active && isShown(active.day) ? (
      <div
        key="cursor"
        aria-hidden="true"
        style={{
          gridColumn: columnOf(active.day),
          gridRow: active.row + 2,
          zIndex: 3,
          pointerEvents: "none",
          visibility: focused ? "visible" : "hidden",
          outline: "3px solid var(--gray-12)",
          outlineOffset: "-3px",
          boxShadow: "inset 0 0 0 5px var(--color-panel-solid)",
          borderRadius: "3px",
        }}
      />
    ) : null;

  const lastShown = shownDays.length > 0 ? shownDays[shownDays.length - 1].day : null;

  return (
    <div ref={wrapRef} style={{ width: "100%", userSelect: "none" }}>
      <style>{`.week-picker-mark:focus-visible{outline:3px solid var(--gray-12);outline-offset:1px}`}</style>
      {narrow && shownDays.length > 0 ? (
        <div
          style={{ display: "flex", alignItems: "center", justifyContent: "space-between", gap: "8px", marginBottom: "8px" }}
        >
          <button
            type="button"
            aria-label="Earlier days"
            disabled={first === 0}
            onClick={() => showDays(-1)}
            style={{ ...NAV_BUTTON, opacity: first === 0 ? 0.4 : 1 }}
          >
            ‹
          </button>
          <div aria-live="polite" style={{ fontSize: "14px", fontWeight: 600, textAlign: "center" }}>
            {daysLabel(shownDays[0].day, lastShown)}
          </div>
          <button
            type="button"
            aria-label="Later days"
            disabled={first + span >= days.length}
            onClick={() => showDays(1)}
            style={{ ...NAV_BUTTON, opacity: first + span >= days.length ? 0.4 : 1 }}
          >
            ›
          </button>
        </div>
      ) : null}
      <div
        style={{
          position: "relative",
          border: "1px solid var(--gray-6)",
          borderRadius: "10px",
          overflow: "hidden",
        }}
      >
        <div
          ref={bodyRef}
          role="grid"
          aria-label={label}
          aria-multiselectable="true"
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerCancel={() => setDrag(null)}
          onClick={onClick}
          onKeyDown={onKeyDown}
          onFocus={(event) => {
            setFocused(true);
            // Tab (or a click) may land on another cell than the keyboard's: it becomes the cursor.
            const cell = event.target.closest ? event.target.closest("[data-cell]") : null;
            if (!cell) return;
            const here = { day: Number(cell.dataset.day), row: Number(cell.dataset.row) };
            const current = activeRef.current;
            if (!current || current.day !== here.day || current.row !== here.row) {
              activeRef.current = here;
              setActive(here);
            }
          }}
          onBlur={(event) => {
            if (!event.currentTarget.contains(event.relatedTarget)) setFocused(false);
          }}
          style={{
            touchAction: "pan-y",
          }}
        >
          <div role="row" style={rowStyle(HEADER_HEIGHT)}>
            <div role="columnheader">
              <span style={SCREEN_READER_ONLY}>Time</span>
            </div>
            {shownDays.map(({ day, d }) => (
              <div
                key={day.key}
                role="columnheader"
                style={{
                  display: "flex",
                  alignItems: "center",
                  justifyContent: "center",
                  fontSize: "13px",
                  fontWeight: 600,
                  whiteSpace: "nowrap",
                  borderBottom: "1px solid var(--gray-6)",
                  borderLeft: "1px solid var(--gray-4)",
                }}
              >
                <span aria-hidden="true">{day.short}</span>
                <span style={SCREEN_READER_ONLY}>{day.long}</span>
              </div>
            ))}
          </div>
          {rows.map((row, r) => (
            <div role="row" key={row.key} style={rowStyle(rowHeight)}>
              <div
                role="rowheader"
                style={{
                  fontSize: "12px",
                  lineHeight: "14px",
                  color: "var(--gray-11)",
                  textAlign: "right",
                  whiteSpace: "nowrap",
                  paddingRight: "8px",
                  borderTop: row.hour ? "1px solid var(--gray-5)" : "none",
                }}
              >
                {row.hour ? row.label : <span style={SCREEN_READER_ONLY}>{row.label}</span>}
              </div>
              {shownDays.map(({ day, d }) => {
                const state = stateAt(d, r);
                const isTab = tabCell.day === d && tabCell.row === r;
                const offered = state === "free" ? lengthsWords(lengthsAt(d, r)) : "";
                const zone = day.zone ? ` ${day.zone}` : "";
                const what = offered ? `${offered}, ${STATE_WORDS[state]}` : STATE_WORDS[state] || state;
                const picked = inSelection(d, r);
                return (
                  <div
                    key={day.key}
                    role="gridcell"
                    data-cell=""
                    data-day={d}
                    data-row={r}
                    data-state={state}
                    tabIndex={isTab ? 0 : -1}
                    aria-label={`${day.long}, ${row.label}${zone}, ${what}`}
                    aria-disabled={state !== "free"}
                    aria-selected={picked ? "true" : "false"}
                    onDoubleClick={() => state === "free" && choose(d, r, preferredLength(lengthsAt(d, r), length))}
                    style={{
                      borderLeft: "1px solid var(--gray-4)",
                      borderTop: row.hour ? "1px solid var(--gray-5)" : "1px dashed var(--gray-3)",
                      outline: "none",
                      ...CELL_STYLES[state],
                    }}
                  />
                );
              })}
            </div>
          ))}
        </div>
        <div
          style={{
            position: "absolute",
            inset: 0,
            display: "grid",
            gridTemplateColumns: columns,
            gridTemplateRows: gridRows,
            pointerEvents: "none",
          }}
        >
          {marks.filter((mark) => isShown(mark.day)).map(markBlock)}
          {selectionBlock}
          {cursorBlock}
        </div>
      </div>
    </div>
  );
}
