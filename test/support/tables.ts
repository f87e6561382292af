// Every row of every Puls table as Azure Table Storage holds it — keys, columns and the server's
// own Timestamp: what someone with read access to the storage account sees.
import { TableClient } from '@azure/data-tables';
import { TABLE_NAMES, type TableName, type TableStore } from '../../src/storage/tables';
import { testConnectionString } from './storage';

export interface RawRow {
  table: TableName;
  partitionKey: string;
  rowKey: string;
  /** The server's write time (ms since epoch). */
  timestamp: number;
  /** Every other column, as stored. */
  columns: Record<string, unknown>;
}

export async function dumpTables(store: TableStore): Promise<RawRow[]> {
  const rows: RawRow[] = [];
  for (const table of TABLE_NAMES) {
    const client = TableClient.fromConnectionString(testConnectionString(), store.tableName(table), {
      allowInsecureConnection: true,
    });
    for await (const e of client.listEntities()) {
      const { etag: _etag, timestamp, partitionKey, rowKey, ...columns } = e as Record<string, unknown>;
      rows.push({
        table,
        partitionKey: String(partitionKey),
        rowKey: String(rowKey),
        timestamp: new Date(String(timestamp)).getTime(),
        columns,
      });
    }
  }
  return rows;
}

/** Rows of one table, without the Timestamp: for before/after comparisons. */
export function contentOf(rows: RawRow[], ...tables: TableName[]): string {
  return JSON.stringify(
    rows
      .filter((r) => tables.length === 0 || tables.includes(r.table))
      .map(({ timestamp: _t, ...rest }) => rest)
      .sort((a, b) =>
        `${a.table}/${a.partitionKey}/${a.rowKey}`.localeCompare(`${b.table}/${b.partitionKey}/${b.rowKey}`),
      ),
  );
}
