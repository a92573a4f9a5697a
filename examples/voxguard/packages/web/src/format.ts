const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escape text for use in HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

/** `0.4567` -> `"45.7%"`; non-finite input shows as an en dash. */
export function formatPercent(ratio: number, digits = 1): string {
  if (!Number.isFinite(ratio)) {
    return '–';
  }
  return `${(ratio * 100).toFixed(digits)}%`;
}

/** Mask the middle of a phone number, keeping country code and last three digits. */
export function maskNumber(e164: string): string {
  const digits = e164.replace(/[^\d]/g, '');
  if (digits.length <= 5) {
    return '*'.repeat(digits.length);
  }
  const head = e164.startsWith('+') ? `+${digits.slice(0, 2)}` : digits.slice(0, 2);
  return `${head}${'•'.repeat(digits.length - 5)}${digits.slice(-3)}`;
}

/** Coarse relative age: `"just now"`, `"5 min ago"`, `"3 h ago"`, `"2 d ago"`. */
export function formatAge(thenMs: number, nowMs: number): string {
  const seconds = Math.max(0, Math.round((nowMs - thenMs) / 1000));
  if (seconds < 60) {
    return 'just now';
  }
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    return `${minutes} min ago`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 48) {
    return `${hours} h ago`;
  }
  return `${Math.floor(hours / 24)} d ago`;
}

/** `premium_rate_callee` -> `Premium rate callee`. */
export function humanizeFlag(flag: string): string {
  const words = flag.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
