import { ConfigError } from './config-error';
import { Variable } from './variables';

export type Env = Record<string, string | undefined>;
export type ConfigSpec = Record<string, Variable<unknown>>;
export type ConfigOf<S extends ConfigSpec> = { readonly [K in keyof S]: S[K] extends Variable<infer T> ? T : never };

/**
 * Parses every variable of `spec` from `env` once. Collects all problems and throws one
 * {@link ConfigError} naming each variable, so an operator fixes the environment in one go.
 */
export function loadConfig<S extends ConfigSpec>(service: string, spec: S, env: Env): ConfigOf<S> {
  const production = env.NODE_ENV === 'production';
  const problems: { variable: string; message: string }[] = [];
  const values: Record<string, unknown> = {};
  for (const [key, variable] of Object.entries(spec)) {
    try {
      values[key] = variable.parse(env[variable.name], { production });
    } catch (error) {
      problems.push({ variable: variable.name, message: error instanceof Error ? error.message : String(error) });
    }
  }
  if (problems.length > 0) {
    throw new ConfigError(service, problems);
  }
  return Object.freeze(values) as ConfigOf<S>;
}
