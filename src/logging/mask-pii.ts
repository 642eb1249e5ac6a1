/** `Budi Santoso` → `B*** S******`: enough to recognise a record, not enough to identify a person. */
export function maskName(name: string): string {
  return name.replace(/\S+/g, (w) => w[0] + '*'.repeat(Math.max(w.length - 1, 1)));
}

/** `budi@example.com` → `b***@example.com`. */
export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  return at <= 0 ? '***' : `${email[0]}***${email.slice(at)}`;
}

/** `6281234567890` → `*********7890`. */
export function maskPhone(phone: string): string {
  return phone.length <= 4 ? '****' : '*'.repeat(phone.length - 4) + phone.slice(-4);
}
