using Azure;
using Azure.Data.Tables;
using Workflows.Storage;

namespace Workflows.Messaging;

/// <summary>
/// Wrong reply codes per phone (hazard H31), in the ReplyCodes table ("attempts-{phone}"). A reply takes a slot before
/// its code is looked up and gives it back when the code was the phone's own, so only wrong or unknown codes keep one;
/// a burst of replies at once gets no more slots than the limit. When a phone's slots are all held by wrong codes its
/// replies are ignored for <see cref="SmsSettings.ReplyLockout"/>; slots come back a lockout after the first was taken.
/// </summary>
public sealed class ReplyAttempts(TableStore store, SmsSettings settings, TimeProvider time)
{
    private const string Row = "attempts";

    private TableClient Table => store.Table(TableNames.ReplyCodes);

    private static string Key(string phone) => "attempts-" + phone;

    /// <summary>A slot for one reply from <paramref name="phone"/>; false when its replies are being ignored.</summary>
    public Task<bool> TryTakeAsync(string phone, CancellationToken ct = default) =>
        ChangeAsync(phone, (row, now) =>
        {
            if (row.GetDateTimeOffset("LockedUntil") is { } until)
            {
                if (until > now) return false;
                row["LockedUntil"] = null;
                row["Taken"] = 0;
            }
            if (row.GetDateTimeOffset("Since") is not { } since || since + settings.ReplyLockout <= now)
            {
                row["Since"] = now;
                row["Taken"] = 0;
            }
            var taken = row.GetInt32("Taken") ?? 0;
            if (taken >= settings.ReplyAttemptLimit) return false;
            row["Taken"] = taken + 1;
            return true;
        }, ct);

    /// <summary>The reply's code was the phone's own: its slot goes back.</summary>
    public Task ReturnAsync(string phone) =>
        ChangeAsync(phone, (row, _) =>
        {
            row["Taken"] = Math.Max((row.GetInt32("Taken") ?? 0) - 1, 0);
            return true;
        }, CancellationToken.None);

    /// <summary>The reply's code was wrong: its slot is kept. True when that used the last one, so the phone is now ignored.</summary>
    public Task<bool> WrongAsync(string phone, CancellationToken ct = default) =>
        ChangeAsync(phone, (row, now) =>
        {
            if ((row.GetInt32("Taken") ?? 0) < settings.ReplyAttemptLimit || row.GetDateTimeOffset("LockedUntil") is not null) return false;
            row["LockedUntil"] = now + settings.ReplyLockout;
            return true;
        }, ct);

    /// <summary>
    /// Applies <paramref name="change"/> under the row's ETag (replies from one phone can arrive at once) and returns its
    /// answer; the row is saved only when it says true. A row that keeps changing under a burst answers false: a slot is
    /// refused rather than one too many given.
    /// </summary>
    private async Task<bool> ChangeAsync(string phone, Func<TableEntity, DateTimeOffset, bool> change, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var existing = await Table.GetEntityIfExistsAsync<TableEntity>(Key(phone), Row, cancellationToken: ct);
            var row = existing.HasValue ? existing.Value! : new TableEntity(Key(phone), Row);
            if (!change(row, time.GetUtcNow())) return false;
            try
            {
                if (existing.HasValue) await Table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, ct);
                else await Table.AddEntityAsync(row, ct);
                return true;
            }
            catch (RequestFailedException e) when (e.IsConflict() || e.IsPreconditionFailed()) { }
        }
        return false;
    }
}
