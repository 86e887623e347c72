/**
 * OpenAPI 3 from the same zod schemas that validate the requests: every route registers its path
 * in the registry where it is defined (api/route.ts), so the document cannot drift from the code.
 * Named components use zod's own `.meta({ id })`, not `.openapi()`: the domain's schemas are
 * created before any extension of zod could run, and `.meta` works on every zod 4 schema.
 */
import { OpenAPIRegistry, OpenApiGeneratorV3 } from '@asteasolutions/zod-to-openapi';

export { OpenAPIRegistry };

export const API_BASE = '/api/v1';
export const SECURITY_API_KEY = 'apiKey';
export const SECURITY_LINK = 'signedLink';

export function createRegistry(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', SECURITY_API_KEY, {
    type: 'http',
    scheme: 'bearer',
    description: "API-sleutel per organisatie en rol: 'Authorization: Bearer <sleutel>'.",
  });
  registry.registerComponent('securitySchemes', SECURITY_LINK, {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    description: "Ondertekende link uit een e-mail: 'Authorization: Link <token>'; alleen voor het lezen van dat ene huishouden.",
  });
  return registry;
}

export function openApiDocument(registry: OpenAPIRegistry, publicUrl: string) {
  return new OpenApiGeneratorV3(registry.definitions).generateDocument({
    openapi: '3.0.3',
    info: {
      title: 'Routekaart API',
      version: '1.0.0',
      description: [
        'De Routekaart naar Veiligheid voor elk huishouden: intake, lezen, en één opdracht per handeling van de methode.',
        'Regels (R-nn) verwijzen naar ROUTEKAART.md. Fouten hebben altijd de vorm `{ error: { code, message, rule?, unmet?, fields? } }`.',
      ].join('\n\n'),
    },
    servers: [{ url: publicUrl }],
  });
}
