/**
 * A month of the two routes from a function in a VPC to AWS APIs, from the cited prices in
 * `src/facts/networking.ts`: one interface endpoint per service in each Availability Zone, or NAT gateways.
 * Pure functions; each line names the prices it used, as the proxy's cost does.
 */
import { networking } from '../../facts/networking.ts';
import { pricing } from '../../facts/pricing.ts';
import { finish, type Cost } from './proxy.ts';

export interface EndpointRoute {
  /** Services reached through their own endpoint, e.g. 2 for Secrets Manager and STS. */
  services: number;
  /** Availability Zones each endpoint is placed in (one per subnet the function uses). */
  availabilityZones: number;
  /** Data the function exchanges with those services in a month. */
  gbPerMonth: number;
}

export interface NatRoute {
  /** NAT gateways: one per Availability Zone keeps a zone's outage from cutting the others off. */
  gateways: number;
  gbPerMonth: number;
}

export function monthlyEndpointCost(route: EndpointRoute): Cost {
  const hours = pricing.hoursPerMonth;
  const endpointHours = route.services * route.availabilityZones * hours.value;
  return finish([
    {
      label: `${route.services} endpoint${route.services === 1 ? '' : 's'} × ${route.availabilityZones} AZ × ${hours.value} h`,
      usd: endpointHours * networking.interfaceEndpointPerAzHour.value,
      prices: [networking.interfaceEndpointPerAzHour, hours],
    },
    { label: `${route.gbPerMonth} GB processed`, usd: route.gbPerMonth * networking.interfaceEndpointPerGb.value, prices: [networking.interfaceEndpointPerGb] },
  ]);
}

export function monthlyNatCost(route: NatRoute): Cost {
  const hours = pricing.hoursPerMonth;
  return finish([
    {
      label: `${route.gateways} NAT gateway${route.gateways === 1 ? '' : 's'} × ${hours.value} h`,
      usd: route.gateways * hours.value * networking.natGatewayPerHour.value,
      prices: [networking.natGatewayPerHour, hours],
    },
    { label: `${route.gbPerMonth} GB processed`, usd: route.gbPerMonth * networking.natGatewayPerGb.value, prices: [networking.natGatewayPerGb] },
  ]);
}
