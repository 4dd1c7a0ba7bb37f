package dev.ancla.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;

/**
 * What a source's last complete listing left out and why ({@code Source#listingSkips}: a shortcut
 * loop, a dangling shortcut), kept in the commit's user data beside the source's counts so that
 * status shows them after a restart and through later change-feed syncs, until the next complete
 * listing replaces them. At most {@link #MAX} reasons are kept; the count is always exact.
 */
public final class ListingSkips {
  public static final int MAX = 100;
  private static final ObjectMapper JSON = new ObjectMapper();

  private ListingSkips() {}

  static String countKey(String sourceId) {
    return "source." + sourceId + ".listing_skipped";
  }

  static String reasonsKey(String sourceId) {
    return "source." + sourceId + ".listing_skips";
  }

  /** Records a complete listing's skips (or that it had none). */
  static void put(Map<String, String> data, String sourceId, List<String> skips) {
    if (skips.isEmpty()) {
      data.remove(countKey(sourceId));
      data.remove(reasonsKey(sourceId));
      return;
    }
    data.put(countKey(sourceId), String.valueOf(skips.size()));
    try {
      data.put(
          reasonsKey(sourceId),
          JSON.writeValueAsString(skips.subList(0, Math.min(MAX, skips.size()))));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a list of strings always serialises", e);
    }
  }

  /** How many the last complete listing skipped (0 when none or never recorded). */
  public static int count(Map<String, String> commitData, String sourceId) {
    try {
      return Integer.parseInt(commitData.getOrDefault(countKey(sourceId), "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The recorded reasons, at most {@link #MAX}; empty when none or unreadable. */
  public static List<String> reasons(Map<String, String> commitData, String sourceId) {
    String raw = commitData.get(reasonsKey(sourceId));
    if (raw == null) {
      return List.of();
    }
    try {
      return List.copyOf(JSON.readValue(raw, new TypeReference<List<String>>() {}));
    } catch (JsonProcessingException | RuntimeException e) {
      return List.of(); // written by a hand or a future version: shown as none
    }
  }
}
