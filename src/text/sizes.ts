/** A byte count as people read it: "3.0 MB" from a megabyte up, else whole kilobytes ("12 KB"). */
export function byteSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
