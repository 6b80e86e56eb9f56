// What "reading a registry" is on the exchange, as access-right method and path patterns,
// per built-in backend: the GovStack Digital Registries data API's read operations for
// record registries; GET, and POST only for a query geometry, on the geospatial registry;
// GET on the macroeconomic database. A right made of these never lets a department write
// another's registry (the demo's rights and approved share requests use them).
export type ReadPath = { method: 'GET' | 'POST'; pathPattern: string };

export function readPathsOf(backendUrl: string, registry: string): ReadPath[] | undefined {
  switch (backendUrl) {
    case 'egov:registries':
      return [
        { method: 'GET', pathPattern: `/data/${registry}/*` },
        { method: 'POST', pathPattern: `/data/${registry}/*/read` },
        { method: 'POST', pathPattern: `/data/${registry}/*/exists` },
        { method: 'GET', pathPattern: `/data/${registry}/*/*/readValue/*` },
      ];
    case 'egov:geospatial':
      return [
        { method: 'GET', pathPattern: '/**' },
        { method: 'POST', pathPattern: '/intersects' },
        { method: 'POST', pathPattern: '/measure' },
      ];
    case 'egov:macroeconomic':
      return [{ method: 'GET', pathPattern: '/**' }];
    default:
      return undefined;
  }
}

/**
 * GovStack's myPersonalDataUsage: who read a person's records. Granted to the system that acts
 * for persons (the portal's identity service), which asks only for the person signed in.
 */
export const PERSONAL_DATA_USAGE_PATH: ReadPath = { method: 'GET', pathPattern: '/data/myPersonalDataUsage' };
