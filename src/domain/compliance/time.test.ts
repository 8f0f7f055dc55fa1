import { describe, expect, it } from 'vitest';
import { formatInstant, localDay, oneYearLater, parseHhMm, parseInstant, wallToInstant, weekdayOfDay, zoneNamed } from './time.js';

describe('parseInstant', () => {
  it.each([
    ['2026-03-02T21:59:00+08:00', Date.UTC(2026, 2, 2, 13, 59)],
    ['2026-03-02T21:59+08:00', Date.UTC(2026, 2, 2, 13, 59)],
    ['2026-03-02T13:59:00Z', Date.UTC(2026, 2, 2, 13, 59)],
    ['2026-03-02T13:59:00.250Z', Date.UTC(2026, 2, 2, 13, 59, 0, 250)],
    ['2026-03-02T08:59:00-0500', Date.UTC(2026, 2, 2, 13, 59)],
    ['2026-03-02T19:29:00+05:30', Date.UTC(2026, 2, 2, 13, 59)],
  ])('%s', (iso, ms) => expect(parseInstant(iso)).toBe(ms));

  it.each(['2026-03-02T21:59:00', '2026-03-02', '2026-02-30T10:00:00Z', '2026-03-02T24:00:00Z', '2026-03-02T10:00:00+25:00', 'yesterday', ''])(
    'refuses %j',
    (iso) => expect(parseInstant(iso)).toBeNull(),
  );
});

describe('wallToInstant', () => {
  const ny = zoneNamed('America/New_York');
  it('moves a wall time in the spring gap to the first valid local time after it', () => {
    const t = wallToInstant(ny, Date.UTC(2026, 2, 8, 2, 30));
    expect(formatInstant(t, ny)).toBe('2026-03-08T03:00:00-04:00');
  });
  it('takes the first of two instants in the autumn overlap', () => {
    const t = wallToInstant(ny, Date.UTC(2026, 10, 1, 1, 30));
    expect(formatInstant(t, ny)).toBe('2026-11-01T01:30:00-04:00');
  });
  it('handles half-hour shifts (Lord Howe)', () => {
    const lh = zoneNamed('Australia/Lord_Howe');
    // Lord Howe springs forward from 02:00 to 02:30 on 2026-10-04.
    expect(formatInstant(wallToInstant(lh, Date.UTC(2026, 9, 4, 2, 15)), lh)).toBe('2026-10-04T02:30:00+11:00');
  });
});

describe('local calendar', () => {
  it('numbers local days and weekdays', () => {
    const sh = zoneNamed('Asia/Shanghai');
    const monday = localDay(parseInstant('2026-03-02T00:00:00+08:00')!, sh);
    expect(localDay(parseInstant('2026-03-01T23:59:59+08:00')!, sh)).toBe(monday - 1);
    expect(weekdayOfDay(monday)).toBe(0);
    expect(weekdayOfDay(monday + 6)).toBe(6);
  });
  it('formats with the zone offset, and milliseconds only when there are some', () => {
    const sh = zoneNamed('Asia/Shanghai');
    expect(formatInstant(Date.UTC(2026, 2, 3, 0), sh)).toBe('2026-03-03T08:00:00+08:00');
    expect(formatInstant(Date.UTC(2026, 2, 3, 0, 0, 0, 5), zoneNamed('UTC'))).toBe('2026-03-03T00:00:00.005+00:00');
    expect(formatInstant(Date.UTC(2026, 2, 3, 0), zoneNamed('America/St_Johns'))).toBe('2026-03-02T20:30:00-03:30');
  });
  it('finds one year later in local time', () => {
    const sh = zoneNamed('Asia/Shanghai');
    expect(formatInstant(oneYearLater(parseInstant('2028-02-29T10:00:00+08:00')!, sh), sh)).toBe('2029-02-28T10:00:00+08:00');
  });
  it('parses HH:mm', () => {
    expect(parseHhMm('08:00')).toBe(8 * 3_600_000);
    expect(parseHhMm('23:59')).toBe((23 * 60 + 59) * 60_000);
    expect(parseHhMm('24:00')).toBeNull();
    expect(parseHhMm('8:00')).toBeNull();
  });
  it('refuses an unknown zone', () => {
    expect(() => zoneNamed('Mars/Olympus_Mons')).toThrow(/IANA/);
  });
});
