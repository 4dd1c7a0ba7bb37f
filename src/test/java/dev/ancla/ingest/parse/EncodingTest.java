package dev.ancla.ingest.parse;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncodingTest {
  @TempDir Path dir;
  private final TikaDocumentParser parser = new TikaDocumentParser();

  private String text(Path file) throws Exception {
    return parser.parse(file, file.getFileName().toString()).blocks().stream()
        .map(Block::text)
        .collect(Collectors.joining("\n"));
  }

  @Test
  void shortSpanishUtf8MarkdownIsNotReadAsChinese() throws Exception {
    // this sample was read as GB18030 by Tika's statistical detector
    String text = text(Path.of("samples/sincronizacion-incremental.md"));
    assertTrue(text.contains("Cómo funciona la sincronización incremental"), text);
    assertFalse(text.contains("贸"), text);
  }

  @Test
  void utf8TextAndHtmlKeepTheirAccents() throws Exception {
    Path txt = dir.resolve("nota.txt");
    Files.writeString(txt, "El índice está en la sección «Búsqueda».", StandardCharsets.UTF_8);
    assertEquals("El índice está en la sección «Búsqueda».", text(txt));
    Path html = dir.resolve("nota.html");
    Files.writeString(
        html, "<html><body><p>Año nuevo, índice nuevo</p></body></html>", StandardCharsets.UTF_8);
    assertEquals("Año nuevo, índice nuevo", text(html));
  }

  @Test
  void latin1TextStillDecodes() throws Exception {
    Path txt = dir.resolve("viejo.txt");
    String spanish =
        "La migración del índice terminó ayer. El equipo revisó la configuración de la red y"
            + " comprobó que la sincronización funcionaba también en la oficina de León.";
    Files.write(txt, spanish.getBytes(Charset.forName("ISO-8859-1")));
    assertEquals(spanish, text(txt));
  }

  @Test
  void utf8CheckAcceptsACharacterCutAtTheSampleEnd() {
    byte[] bytes = "añ".getBytes(StandardCharsets.UTF_8); // 'ñ' is two bytes
    byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 1);
    assertTrue(Utf8FirstEncodingDetector.isUtf8(cut, false));
    assertFalse(Utf8FirstEncodingDetector.isUtf8(cut, true));
    assertFalse(Utf8FirstEncodingDetector.isUtf8(new byte[] {'a', 0, 'b', 0}, true));
  }
}
