package io.github.reactivemilvus;

import io.github.reactivemilvus.proto.CheckHealthResponse;
import io.github.reactivemilvus.proto.QuotaState;
import java.util.ArrayList;
import java.util.List;

/**
 * What the server says about its health (the CheckHealth RPC): whether it is healthy, its reasons
 * when not, and its quota states by name ({@code ReadLimited}, {@code WriteLimited},
 * {@code DenyToRead}, {@code DenyToWrite}, {@code DenyToDDL}; a state this client does not know as
 * {@code QuotaState(n)}; an empty list when it has no limits). A server may
 * answer with a success status and still say it is unhealthy.
 */
public record ServerHealth(boolean healthy, List<String> reasons, List<String> quotaStates) {
  /** Copies both lists into immutable lists; null lists throw {@link NullPointerException}. */
  public ServerHealth {
    reasons = List.copyOf(reasons);
    quotaStates = List.copyOf(quotaStates);
  }

  static ServerHealth of(CheckHealthResponse r) {
    List<String> quotaStates = new ArrayList<>();
    for (int code : r.getQuotaStatesValueList()) {
      QuotaState q = QuotaState.forNumber(code);
      quotaStates.add(q != null ? q.name() : "QuotaState(" + code + ")"); // a newer server's state, named by its number
    }
    return new ServerHealth(r.getIsHealthy(), r.getReasonsList(), quotaStates);
  }
}
