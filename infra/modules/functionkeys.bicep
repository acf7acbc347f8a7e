// One named function key per machine caller, on the functions that caller may call and no other, so a key can be
// rotated or revoked without touching the others, and a ward system's key cannot post a 111 call.
//
// Per-function keys, not host keys (Microsoft.Web/sites/host/functionKeys): a host key opens every function with
// AuthorizationLevel.Function, so each caller's key would open every machine route. A function key exists only once the
// code is published (the function must exist), hence codePublished, as for the Event Grid subscriptions.
//
// A key is set only when its value is given (docs/deploy.md: generate it, deploy, hand it to the caller out of band);
// a deploy without a value leaves the key as it is, so deploys never rotate keys by accident.
param functionAppName string

@description('[{ caller, functions: [function names] }]: the key name, and the functions it opens.')
param callers array

@secure()
@description('Key values by caller name; a missing or empty value leaves that caller\'s key untouched.')
param values object

param codePublished bool

var pairs = flatten(map(callers, c => map(c.functions, f => { caller: c.caller, function: f })))

resource keys 'Microsoft.Web/sites/functions/keys@2024-11-01' = [
  for p in pairs: if (codePublished && !empty(values[?p.caller] ?? '')) {
    name: '${functionAppName}/${p.function}/${p.caller}'
    value: values[p.caller]
  }
]
