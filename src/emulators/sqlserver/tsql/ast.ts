/**
 * The syntax tree of the T-SQL the stand-in understands: expressions, queries, DML, DDL and the
 * procedural statements used in batches and stored procedures. Positions (`line`) feed the line
 * numbers of error messages.
 */
import type { SqlType, StoredValue } from '../sql-type';

export interface ObjectName {
  /** 1–4 parts: [server.][database.][schema.]name, as written (brackets removed). */
  parts: string[];
  line: number;
}

export type Expr =
  | { kind: 'literal'; value: StoredValue; type: SqlType | null }
  | { kind: 'column'; parts: string[]; line: number }
  | { kind: 'variable'; name: string; line: number }
  | { kind: 'sysvar'; name: string }
  | { kind: 'keyword'; word: string }
  | { kind: 'unary'; op: '-' | '+' | '~' | 'NOT'; operand: Expr }
  | { kind: 'binary'; op: string; left: Expr; right: Expr }
  | { kind: 'like'; not: boolean; expr: Expr; pattern: Expr; escape?: Expr }
  | { kind: 'between'; not: boolean; expr: Expr; low: Expr; high: Expr }
  | { kind: 'in'; not: boolean; expr: Expr; list?: Expr[]; query?: Query }
  | { kind: 'isNull'; not: boolean; expr: Expr }
  | { kind: 'exists'; query: Query }
  | { kind: 'subquery'; query: Query }
  | { kind: 'call'; name: string; args: Expr[]; distinct?: boolean; star?: boolean; over?: WindowSpec; withinGroup?: OrderItem[]; line: number }
  | { kind: 'cast'; expr: Expr; type: SqlType; tryCast: boolean; style?: Expr }
  | { kind: 'case'; operand?: Expr; whens: Array<{ when: Expr; then: Expr }>; otherwise?: Expr }
  | { kind: 'collate'; expr: Expr; collation: string };

export interface WindowSpec {
  partitionBy: Expr[];
  orderBy: OrderItem[];
  frame?: string;
}

export interface OrderItem {
  expr: Expr;
  descending: boolean;
}

export type SelectItem =
  | { kind: 'expr'; expr: Expr; alias?: string }
  | { kind: 'star'; qualifier?: string[] }
  | { kind: 'assign'; variable: string; op: string; expr: Expr };

export type FromItem =
  | { kind: 'table'; name: ObjectName; alias?: string }
  | { kind: 'derived'; query: Query; alias: string; columns?: string[] }
  | { kind: 'values'; rows: Expr[][]; alias: string; columns: string[] }
  | { kind: 'join'; joinType: 'INNER' | 'LEFT' | 'RIGHT' | 'FULL' | 'CROSS' | 'CROSS APPLY' | 'OUTER APPLY'; left: FromItem; right: FromItem; on?: Expr };

export interface SelectCore {
  kind: 'select';
  distinct: boolean;
  top?: { expr: Expr; percent: boolean; withTies: boolean };
  items: SelectItem[];
  into?: ObjectName;
  from: FromItem[];
  where?: Expr;
  groupBy: Expr[];
  having?: Expr;
}

export type QueryBody = SelectCore | { kind: 'setOp'; op: 'UNION' | 'UNION ALL' | 'EXCEPT' | 'INTERSECT'; left: QueryBody; right: QueryBody } | { kind: 'parenthesized'; query: Query };

export interface Cte {
  name: string;
  columns?: string[];
  query: Query;
}

export interface Query {
  ctes: Cte[];
  body: QueryBody;
  orderBy: OrderItem[];
  offset?: Expr;
  fetch?: Expr;
  forJson?: { mode: 'PATH' | 'AUTO'; withoutArrayWrapper: boolean; root?: string; includeNulls: boolean };
}

export interface OutputClause {
  items: SelectItem[];
  into?: ObjectName;
  /** OUTPUT … INTO target (columns). */
  intoColumns?: string[];
}

export interface ColumnDefinition {
  name: string;
  type: SqlType;
  nullable?: boolean;
  identity?: { seed: number; increment: number };
  defaultValue?: { expr: Expr; source: string; name?: string };
  primaryKey?: { name?: string };
  unique?: { name?: string };
  references?: ForeignKeyReference & { name?: string };
  check?: { expr: Expr; source: string; name?: string };
  computed?: { expr: Expr; source: string };
}

export interface ForeignKeyReference {
  table: ObjectName;
  columns: string[];
  onDelete: 'NO ACTION' | 'CASCADE' | 'SET NULL' | 'SET DEFAULT';
  onUpdate: 'NO ACTION' | 'CASCADE' | 'SET NULL' | 'SET DEFAULT';
}

export type TableConstraint =
  | { kind: 'primaryKey' | 'unique'; name?: string; columns: string[] }
  | { kind: 'foreignKey'; name?: string; columns: string[]; references: ForeignKeyReference }
  | { kind: 'check'; name?: string; expr: Expr; source: string }
  | { kind: 'default'; name?: string; column: string; expr: Expr; source: string };

export interface ProcedureParameter {
  name: string;
  type: SqlType;
  defaultValue?: Expr;
  output: boolean;
  /** READONLY: required of (and only allowed for) table-valued parameters. */
  readonly?: boolean;
}

export type TriggerEvent = 'INSERT' | 'UPDATE' | 'DELETE';

export interface ExecArgument {
  name?: string;
  expr?: Expr;
  output: boolean;
  useDefault: boolean;
}

interface At {
  line: number;
}

export type Statement = At & (
  | { kind: 'select'; query: Query }
  | { kind: 'insert'; table: ObjectName; columns?: string[]; source: InsertSource; output?: OutputClause; top?: Expr }
  | { kind: 'update'; target: ObjectName; sets: Array<{ column?: string[]; variable?: string; op: string; expr: Expr }>; from: FromItem[]; where?: Expr; output?: OutputClause; top?: Expr }
  | { kind: 'delete'; target: ObjectName; from: FromItem[]; where?: Expr; output?: OutputClause; top?: Expr }
  | { kind: 'merge'; target: ObjectName; alias?: string; source: FromItem; on: Expr; clauses: MergeClause[]; output?: OutputClause }
  | { kind: 'createTable'; name: ObjectName; columns: ColumnDefinition[]; constraints: TableConstraint[] }
  | { kind: 'createType'; name: ObjectName; table?: Statement & { kind: 'createTable' }; base?: SqlType; nullable?: boolean }
  | { kind: 'enableTrigger'; enable: boolean; names: ObjectName[] | 'ALL'; table: ObjectName }
  | { kind: 'createTrigger'; orAlter: boolean; name: ObjectName; table: ObjectName; timing: 'AFTER' | 'INSTEAD OF'; events: TriggerEvent[]; body: Statement[]; source: string }
  | { kind: 'alterTable'; name: ObjectName; addColumns: ColumnDefinition[]; addConstraints: TableConstraint[]; dropColumns: string[]; dropConstraints: string[] }
  | { kind: 'createIndex'; unique: boolean; name: string; table: ObjectName; columns: OrderItem[] }
  | { kind: 'createView'; orAlter: boolean; name: ObjectName; columns?: string[]; query: Query; source: string }
  | { kind: 'createProcedure'; orAlter: boolean; name: ObjectName; parameters: ProcedureParameter[]; body: Statement[]; source: string }
  | { kind: 'drop'; objectType: 'TABLE' | 'PROCEDURE' | 'VIEW' | 'INDEX' | 'FUNCTION' | 'TRIGGER' | 'TYPE'; ifExists: boolean; names: ObjectName[]; onTable?: ObjectName }
  | { kind: 'truncate'; table: ObjectName }
  | { kind: 'declare'; variables: Array<{ name: string; type: SqlType; init?: Expr; table?: Statement & { kind: 'createTable' } }> }
  | { kind: 'setVariable'; name: string; op: string; expr: Expr }
  | { kind: 'setOption'; option: string; value: string; target?: ObjectName }
  | { kind: 'if'; condition: Expr; then: Statement; otherwise?: Statement }
  | { kind: 'while'; condition: Expr; body: Statement }
  | { kind: 'block'; body: Statement[] }
  | { kind: 'tryCatch'; body: Statement[]; handler: Statement[] }
  | { kind: 'return'; expr?: Expr }
  | { kind: 'break' }
  | { kind: 'continue' }
  | { kind: 'exec'; procedure: ObjectName; args: ExecArgument[]; returnVariable?: string }
  | { kind: 'execString'; expr: Expr }
  | { kind: 'beginTransaction'; name?: string }
  | { kind: 'commit'; name?: string }
  | { kind: 'rollback'; name?: string }
  | { kind: 'save'; name: string }
  | { kind: 'print'; expr: Expr }
  | { kind: 'throw'; number?: Expr; message?: Expr; state?: Expr }
  | { kind: 'raiserror'; message: Expr; severity: Expr; state: Expr; args: Expr[] }
  | { kind: 'use'; database: string }
  | { kind: 'waitfor'; delay: Expr }
  | { kind: 'insertBulk'; table: ObjectName; columns: Array<{ name: string; type: SqlType }>; order?: Array<{ name: string; descending: boolean }>; fireTriggers?: boolean }
);

export type InsertSource =
  | { kind: 'values'; rows: Expr[][] }
  | { kind: 'query'; query: Query }
  | { kind: 'defaultValues' }
  | { kind: 'exec'; exec: Statement & { kind: 'exec' } };

export interface MergeClause {
  when: 'MATCHED' | 'NOT MATCHED' | 'NOT MATCHED BY SOURCE';
  condition?: Expr;
  action: { kind: 'update'; sets: Array<{ column: string[]; expr: Expr }> } | { kind: 'delete' } | { kind: 'insert'; columns?: string[]; values: Expr[] };
}

export function displayName(name: ObjectName): string {
  return name.parts.join('.');
}
