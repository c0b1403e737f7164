import { describe, expect, it } from 'vitest';
import { isUrgent, quietFor } from '../../../src/routing/quiet-hours.js';

const window = { from: 22 * 60, to: 8 * 60 };
const tz = 'Europe/Amsterdam';

describe('quiet hours', () => {
  it('holds messages in a window that wraps midnight, until it ends', () => {
    // 23:30 in Amsterdam (winter, UTC+1) = 22:30 UTC: 8.5 hours until 08:00.
    expect(quietFor(new Date('2026-12-01T22:30:00Z'), window, tz)).toBe(8.5 * 3600_000);
    expect(quietFor(new Date('2026-12-02T06:59:00Z'), window, tz)).toBe(60_000); // 07:59 local
    expect(quietFor(new Date('2026-12-02T07:00:00Z'), window, tz)).toBe(0); // 08:00 local
    expect(quietFor(new Date('2026-12-02T12:00:00Z'), window, tz)).toBe(0);
    expect(quietFor(new Date('2026-12-02T12:00:00Z'), undefined, tz)).toBe(0);
  });

  it('lets danger and person-to-person messages through at night', () => {
    expect(isUrgent({ name: 'escalation.new', data: { urgent: 'yes' } })).toBe(true);
    expect(isUrgent({ name: 'crisis.reassure' })).toBe(true);
    expect(isUrgent({ name: 'relay.message' })).toBe(true);
    expect(isUrgent({ name: 'referral.offer' })).toBe(false);
    expect(isUrgent({ name: 'followup.ask' })).toBe(false);
  });
});
