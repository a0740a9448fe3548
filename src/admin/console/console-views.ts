/**
 * The console's pages: Nunjucks templates in views/ (copied beside the compiled code by nest-cli's
 * assets), rendered with autoescaping on, so every value from the inventory, BGP or a request is
 * text, never markup.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';

export const VIEWS_DIR = fileURLToPath(new URL('./views/', import.meta.url));
export const ASSETS_DIR = fileURLToPath(new URL('./assets/', import.meta.url));

let environment: nunjucks.Environment | null = null;

function views(): nunjucks.Environment {
  if (environment) return environment;
  environment = new nunjucks.Environment(new nunjucks.FileSystemLoader(VIEWS_DIR, { noCache: false }), {
    autoescape: true,
    throwOnUndefined: false,
    trimBlocks: true,
    lstripBlocks: true,
  });
  environment.addFilter('time', (value: unknown) => timeText(value));
  environment.addFilter('ago', (value: unknown, now: number = Date.now()) => agoText(value, now));
  environment.addFilter('aspath', (path: unknown) =>
    Array.isArray(path) ? path.map((hop) => (Array.isArray(hop) ? `{${hop.join(',')}}` : String(hop))).join(' ') : '',
  );
  environment.addFilter('json', (value: unknown) => JSON.stringify(value, null, 2));
  return environment;
}

export function renderPage(template: string, context: object): string {
  return views().render(template, context);
}

/** The console's static files (one stylesheet, one script), read once. */
const assets = new Map<string, { type: string; body: Buffer }>();
const ASSET_TYPES: Record<string, string> = { 'console.css': 'text/css; charset=utf-8', 'console.js': 'text/javascript; charset=utf-8' };

export function consoleAsset(name: string): { type: string; body: Buffer } | null {
  const type = ASSET_TYPES[name];
  if (type === undefined) return null;
  let asset = assets.get(name);
  if (!asset) {
    asset = { type, body: readFileSync(`${ASSETS_DIR}${name}`) };
    assets.set(name, asset);
  }
  return asset;
}

/** ISO 8601 to the second, in UTC (operators across regions compare times in UTC). */
export function timeText(value: unknown): string {
  const date = dateOf(value);
  if (date === null) return '—';
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** "3 min ago" style, for since-when columns. */
export function agoText(value: unknown, now: number): string {
  const date = dateOf(value);
  if (date === null) return '';
  const seconds = Math.round((now - date.getTime()) / 1000);
  if (seconds < 90) return `${Math.max(seconds, 0)} s ago`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 172800) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} d ago`;
}

function dateOf(value: unknown): Date | null {
  const date = value instanceof Date ? value : typeof value === 'number' || typeof value === 'string' ? new Date(value) : null;
  return date === null || Number.isNaN(date.getTime()) ? null : date;
}
