// Tells the server when a staff session is about to end for want of activity, and when it has.
// The server decides (it refuses any event after the idle time); this only times the warning.
import { useEffect } from "react";

// deadline: when the session ends (epoch milliseconds, 0 for never); warnBefore: milliseconds.
export function IdleWatch({ deadline, warnBefore, onWarn, onEnd }) {
  useEffect(() => {
    if (!deadline) return undefined;
    const timers = [];
    const wait = (at, call) => {
      // setTimeout's delay is a 32-bit number of milliseconds; longer waits re-arm on the next render.
      const delay = Math.min(Math.max(at - Date.now(), 0), 2147483647);
      timers.push(setTimeout(call, delay));
    };
    wait(deadline - warnBefore, () => onWarn && onWarn());
    // A second late, so the server's clock has certainly passed it too.
    wait(deadline + 1000, () => onEnd && onEnd());
    return () => timers.forEach(clearTimeout);
  }, [deadline, warnBefore]);
  return null;
}
