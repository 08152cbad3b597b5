// Hookline's version, from package.json, for the User-Agent and the OpenAPI document.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const manifest = require('../package.json') as { version: string };

export const HOOKLINE_VERSION: string = manifest.version;
