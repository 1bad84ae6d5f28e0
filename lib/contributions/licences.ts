/**
 * A short curated list of common SPDX licence identifiers (https://spdx.org/licenses/) for the upload
 * page's picker; the contribution page names them with it. Client-safe. Metadata stores the id under
 * `license`, the key SPDX tooling and package manifests use.
 */
export const SPDX_LICENCES: readonly (readonly [id: string, name: string])[] = [
  ["MIT", "MIT License"],
  ["Apache-2.0", "Apache License 2.0"],
  ["GPL-3.0-only", "GNU General Public License v3.0 only"],
  ["GPL-3.0-or-later", "GNU General Public License v3.0 or later"],
  ["LGPL-3.0-only", "GNU Lesser General Public License v3.0 only"],
  ["AGPL-3.0-only", "GNU Affero General Public License v3.0 only"],
  ["MPL-2.0", "Mozilla Public License 2.0"],
  ["BSD-2-Clause", "BSD 2-Clause License"],
  ["BSD-3-Clause", "BSD 3-Clause License"],
  ["ISC", "ISC License"],
  ["Unlicense", "The Unlicense"],
  ["CC0-1.0", "Creative Commons Zero v1.0 Universal"],
  ["CC-BY-4.0", "Creative Commons Attribution 4.0"],
  ["CC-BY-SA-4.0", "Creative Commons Attribution Share Alike 4.0"],
  ["CC-BY-NC-4.0", "Creative Commons Attribution Non Commercial 4.0"],
  ["ODbL-1.0", "Open Data Commons Open Database License v1.0"],
  ["ODC-By-1.0", "Open Data Commons Attribution License v1.0"],
  ["PDDL-1.0", "Open Data Commons Public Domain Dedication & License 1.0"],
];

export const LICENCE_KEY = "license";

/** The licence's full name for a known SPDX id, undefined otherwise. */
export const licenceName = (id: string) => SPDX_LICENCES.find(([known]) => known === id)?.[1];
