/**
 * A small RFC 4180 CSV reader: quoted fields, doubled quotes, CRLF or LF, and the 1-based line on
 * which each record starts (for error messages). Blank lines are skipped.
 */
export interface CsvRecords {
  records: string[][];
  /** `lines[i]` is the line on which `records[i]` starts. */
  lines: number[];
  /** Set when the text ends inside a quoted field: the line where that record starts. */
  unterminatedQuoteLine?: number;
}

export function parseCsv(text: string): CsvRecords {
  const records: string[][] = [];
  const lines: number[] = [];
  let field = '';
  let record: string[] = [];
  let inQuotes = false;
  let line = 1;
  let recordLine = 1;
  let fieldStarted = false;
  const endRecord = (): void => {
    record.push(field);
    if (!(record.length === 1 && record[0] === '' && !fieldStarted)) {
      records.push(record);
      lines.push(recordLine);
    }
    record = [];
    field = '';
    fieldStarted = false;
  };
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && field === '') {
      inQuotes = true;
      fieldStarted = true;
    } else if (ch === ',') {
      record.push(field);
      field = '';
      fieldStarted = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += ch;
      fieldStarted = true;
    }
  }
  const unterminated = inQuotes ? recordLine : undefined;
  if (field !== '' || record.length > 0 || fieldStarted) endRecord();
  return unterminated === undefined ? { records, lines } : { records, lines, unterminatedQuoteLine: unterminated };
}
