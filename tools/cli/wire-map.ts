import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { SERVICE_NAMES, ServiceName } from '@shelfwatch/config';
import * as contracts from '@shelfwatch/contracts';
import { EventType, eventTypes, isEventType, streamForEventType } from '@shelfwatch/contracts';
import ts from 'typescript';
import { runCli } from './cli-main';
import { SERVICES } from './services';

/** Where the wire map is committed; a test fails when it differs from what the code generates. */
export const WIRE_MAP_PATH = 'docs/wire.md';

/** A place in the code: repository-relative file, and the class method or function there (not a line: it moves). */
interface Site {
  service: ServiceName;
  file: string;
  where: string;
}

/** What the sources say about the wire. */
interface Wire {
  eventHandlers: Map<EventType, Site[]>;
  eventProducers: Map<EventType, Site[]>;
  requestHandlers: Map<string, Site[]>;
  requestCallers: Map<string, Site[]>;
  /** The contracts constant of each request subject (`RANKING_RPC.productList`). */
  constants: Map<string, string>;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return sourceFiles(path);
    }
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

function add<K>(map: Map<K, Site[]>, key: K, site: Site): void {
  const sites = map.get(key) ?? [];
  if (!sites.some((known) => known.file === site.file && known.where === site.where)) {
    sites.push(site);
  }
  map.set(key, sites);
}

/** `RANKING_RPC.productList` resolved through the contracts' exports, or null when it names no subject there. */
function contractConstant(node: ts.Node): { name: string; subject: string } | null {
  if (!ts.isPropertyAccessExpression(node) || !ts.isIdentifier(node.expression)) {
    return null;
  }
  const holder = (contracts as Record<string, unknown>)[node.expression.text];
  const subject =
    typeof holder === 'object' && holder !== null ? (holder as Record<string, unknown>)[node.name.text] : null;
  return typeof subject === 'string' && /_RPC$/.test(node.expression.text)
    ? { name: `${node.expression.text}.${node.name.text}`, subject }
    : null;
}

/** The subject a pattern decorator names: a string literal or a contracts constant. */
function patternOf(argument: ts.Expression | undefined, file: string): { subject: string; constant?: string } {
  if (argument && ts.isStringLiteralLike(argument)) {
    return { subject: argument.text };
  }
  const constant = argument ? contractConstant(argument) : null;
  if (!constant) {
    throw new Error(`${file}: a pattern must be a string literal or a *_RPC constant of @shelfwatch/contracts`);
  }
  return { subject: constant.subject, constant: constant.name };
}

/** `Class.method`, `function` or `variable` enclosing a node, for a reader to search for. */
function enclosingName(node: ts.Node): string {
  const names: string[] = [];
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    const name =
      ts.isMethodDeclaration(current) ||
      ts.isFunctionDeclaration(current) ||
      ts.isClassDeclaration(current) ||
      ts.isVariableDeclaration(current) ||
      ts.isPropertyDeclaration(current)
        ? current.name
        : undefined;
    if (name) {
      names.unshift(name.getText());
    }
  }
  return names.join('.') || 'module';
}

function insideDecorator(node: ts.Node): boolean {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if (ts.isDecorator(current)) {
      return true;
    }
  }
  return false;
}

/** `@EventPattern` / `@MessagePattern` on a method: the pattern and `Class.method`. */
function readDecorator(
  node: ts.Decorator,
  file: string,
): { kind: string; subject: string; constant?: string; where: string } | null {
  const call = node.expression;
  if (!ts.isCallExpression(call) || !ts.isIdentifier(call.expression)) {
    return null;
  }
  const kind = call.expression.text;
  if (kind !== 'EventPattern' && kind !== 'MessagePattern') {
    return null;
  }
  const method = node.parent;
  const owner = method.parent;
  const className = ts.isClassDeclaration(owner) && owner.name ? owner.name.text : '?';
  const methodName = ts.isMethodDeclaration(method) ? method.name.getText() : '?';
  return { kind, ...patternOf(call.arguments[0], file), where: `${className}.${methodName}` };
}

/** An event type written where an event is made: `type: 't'` in an object, or a call's first argument. */
function producedType(node: ts.Node): EventType | null {
  if (!ts.isStringLiteral(node) || !isEventType(node.text) || insideDecorator(node)) {
    return null;
  }
  let parent = node.parent;
  if (ts.isAsExpression(parent)) {
    parent = parent.parent;
  }
  const typed = ts.isPropertyAssignment(parent) && parent.name.getText() === 'type';
  const firstArgument = ts.isCallExpression(parent) && parent.arguments[0] === node;
  return typed || firstArgument ? node.text : null;
}

function scanFile(wire: Wire, service: ServiceName, path: string, root: string): void {
  const file = relative(root, path);
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const publishes = new Set<string>(SERVICES[service].manifest.publishes);
  const visit = (node: ts.Node): void => {
    const decorated = ts.isDecorator(node) ? readDecorator(node, file) : null;
    if (decorated?.kind === 'EventPattern' && isEventType(decorated.subject)) {
      add(wire.eventHandlers, decorated.subject, { service, file, where: decorated.where });
    } else if (decorated?.kind === 'MessagePattern') {
      add(wire.requestHandlers, decorated.subject, { service, file, where: decorated.where });
      if (decorated.constant) {
        wire.constants.set(decorated.subject, decorated.constant);
      }
    }
    const produced = producedType(node);
    if (produced && publishes.has(produced)) {
      add(wire.eventProducers, produced, { service, file, where: enclosingName(node) });
    }
    const constant = insideDecorator(node) ? null : contractConstant(node);
    if (constant) {
      wire.constants.set(constant.subject, constant.name);
      add(wire.requestCallers, constant.subject, { service, file, where: enclosingName(node) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

/** Reads every service's sources (tests excluded). */
export function readWire(root: string): Wire {
  const wire: Wire = {
    eventHandlers: new Map(),
    eventProducers: new Map(),
    requestHandlers: new Map(),
    requestCallers: new Map(),
    constants: new Map(),
  };
  for (const service of SERVICE_NAMES) {
    for (const path of sourceFiles(resolve(root, 'services', service, 'src'))) {
      scanFile(wire, service, path, root);
    }
  }
  return wire;
}

function sites(list: Site[] | undefined): string {
  if (!list || list.length === 0) {
    return '—';
  }
  return list.map((site) => `${site.service}: \`${site.file}\` (${site.where})`).join('<br>');
}

function eventSection(wire: Wire): string[] {
  const rows = [...eventTypes].sort().map((type) => {
    const publishers = SERVICE_NAMES.filter((service) => SERVICES[service].manifest.publishes.includes(type));
    const consumers = SERVICE_NAMES.filter((service) => SERVICES[service].manifest.handles.includes(type));
    const producers = wire.eventProducers.get(type) ?? [];
    const produced = [
      ...publishers.map((service) => `**${service}**`),
      ...producers.map((s) => `\`${s.file}\` (${s.where})`),
    ];
    return (
      `| \`${type}\` | ${streamForEventType(type).name} | ${produced.join('<br>') || '—'} | ` +
      `${consumers.map((service) => `**${service}**`).join(', ') || '—'} | ${sites(wire.eventHandlers.get(type))} |`
    );
  });
  return [
    '## Events',
    '',
    'Producers: the services whose manifest publishes the type, then where the code writes it to the outbox.',
    'Handlers: the `@EventPattern` methods (run by the JetStream transport in the inbox transaction).',
    '',
    '| event | stream | producers | consumers (manifest) | handlers |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ];
}

function requestSection(wire: Wire): string[] {
  const subjects = [...new Set([...wire.requestHandlers.keys(), ...wire.requestCallers.keys()])].sort();
  const rows = subjects.map((subject) => {
    const constant = wire.constants.get(subject);
    return (
      `| \`${subject}\` | ${constant ? `\`${constant}\`` : '—'} | ${sites(wire.requestHandlers.get(subject))} | ` +
      `${sites(wire.requestCallers.get(subject))} |`
    );
  });
  return [
    '## Request/reply',
    '',
    'Handlers: the `@MessagePattern` methods (queue group = service, wire subject `rpc.<subject>`).',
    'Callers: where the code names the subject constant outside a decorator (`client.send`, `rpc.request`).',
    'Not listed: `<service>.dead-letters.replay`, answered by `MessagingService` of every service with consumers',
    'and called by health (`services/health/src/dead-letters/dead-letters.handler.ts`).',
    '',
    '| subject | constant | handler | callers |',
    '| --- | --- | --- | --- |',
    ...rows,
  ];
}

/** The committed text of docs/wire.md. */
export function wireMapText(root = resolve('.')): string {
  const wire = readWire(root);
  return [
    '# The wire',
    '',
    '<!-- GENERATED by `npm run wire` (tools/cli/wire-map.ts) from the decorators, the service manifests and the',
    'contracts: do not edit. A test fails when it is stale. -->',
    '',
    'Every event and request/reply subject, who produces it and who handles it. See docs/messaging.md for the',
    'transport and its guarantees.',
    '',
    ...eventSection(wire),
    '',
    ...requestSection(wire),
    '',
  ].join('\n');
}

if (require.main === module) {
  runCli('wire', () => {
    writeFileSync(resolve(WIRE_MAP_PATH), wireMapText());
    console.log(`wrote ${WIRE_MAP_PATH}`);
    return Promise.resolve();
  });
}
