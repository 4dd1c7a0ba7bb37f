package dev.ancla.answer;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.config.Config.Language;
import dev.ancla.index.Analyzers;
import dev.ancla.query.SearchHit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ExtractiveAnswererTest {
  private final ExtractiveAnswerer answerer =
      new ExtractiveAnswerer(Analyzers.forLanguage(Language.ES), Language.ES);

  private static SearchHit hit(String path, int chunk, int page, String text) {
    return new SearchHit("docs", path, chunk, 1.0, text, "", page);
  }

  private final List<SearchHit> context =
      List.of(
          hit(
              "faq.md",
              0,
              0,
              "Ancla es un servidor de conocimiento. Se instala con un solo comando en cualquier máquina."),
          hit(
              "copias.pdf",
              3,
              2,
              "Las copias de seguridad se suben a S3 después de cada commit. La restauración descarga la copia"
                  + " más reciente y verifica cada archivo con SHA-256."),
          hit(
              "notas.txt",
              1,
              0,
              "El faro del puerto tiene una luz verde que se ve desde lejos en la costa."));

  @Test
  void quotesTheSentencesThatMatchTheQuestionAndCitesTheirChunks() {
    var streamed = new ArrayList<String>();
    var seen = new ArrayList<List<Citation>>();
    Answer answer =
        answerer.answer(
            "¿Qué hace la restauración de las copias de seguridad?",
            context,
            new AnswerListener() {
              @Override
              public void context(List<Citation> citations) {
                seen.add(citations);
              }

              @Override
              public void token(String text) {
                streamed.add(text);
              }
            });
    assertEquals("extractive", answer.mode());
    assertTrue(answer.model().isEmpty());
    assertTrue(answer.text().contains("restauración descarga la copia"), answer.text());
    assertTrue(answer.text().contains("[1]"), answer.text());
    assertFalse(
        answer.text().contains("faro"), "unrelated sentences are left out: " + answer.text());
    assertEquals("copias.pdf", answer.citations().getFirst().path());
    assertEquals(2, answer.citations().getFirst().page());
    assertEquals(3, answer.citations().getFirst().chunk());
    assertEquals(List.of(answer.citations()), seen, "citations go to the listener first");
    assertEquals(answer.text(), String.join("", streamed));
    assertEveryReferenceHasACitation(answer);
    assertTrue(answer.text().length() <= ExtractiveAnswerer.MAX_CHARS + 40, answer.text());
  }

  @Test
  void questionWordsDoNotChooseTheSentences() {
    var counted =
        List.of(
            hit(
                "estado.md",
                0,
                0,
                "La orden status muestra cuántos documentos y fragmentos hay en el índice."),
            hit(
                "despliegue.docx",
                1,
                0,
                "El disco local de 2 GiB tiene que alojar el índice y la caché de embeddings."));
    Answer answer = answerer.answer("¿Cuánto disco tiene?", counted, AnswerListener.NONE);
    assertTrue(answer.text().contains("disco local de 2 GiB"), answer.text());
    assertFalse(answer.text().contains("cuántos documentos"), answer.text());
  }

  @Test
  void aFullStopInsideACommandOrNumberDoesNotEndTheSentence() {
    assertEquals(
        List.of(
            "La orden ./ancla status muestra cuántos documentos hay en el índice.",
            "La versión 0.1.2 añade copias de seguridad en S3 y restauración."),
        ExtractiveAnswerer.sentences(
            "La orden ./ancla status muestra cuántos documentos hay en el índice. La versión"
                + " 0.1.2 añade copias de seguridad en S3 y restauración."));
  }

  @Test
  void headingsQuestionsAndCommandsAreNotQuotedButHeadTheSentencesAfterThem() {
    var passages =
        ExtractiveAnswerer.passages(
            String.join(
                "\n",
                "Retención La variable ANCLA_SNAPSHOT_KEEP indica cuántas instantáneas se conservan.",
                "¿Necesito una GPU?",
                "No. Los embeddings se calculan en la CPU con ONNX Runtime.",
                "./ancla search \"¿Cómo se restaura el índice al arrancar?\"",
                "```",
                "ANCLA_SNAPSHOT_URL=s3://bucket/prefix ./ancla serve --port 8080 --verbose",
                "```",
                "Syncing Google Drive fails with 403",
                "The service account cannot see the folder. Share it.",
                "Only one Ancla process may write to a data directory at a time."),
            "Copias de seguridad > Instantáneas");
    assertEquals(
        List.of(
            new ExtractiveAnswerer.Passage(
                "La variable ANCLA_SNAPSHOT_KEEP indica cuántas instantáneas se conservan.",
                "Copias de seguridad > Retención"),
            new ExtractiveAnswerer.Passage(
                "No. Los embeddings se calculan en la CPU con ONNX Runtime.",
                "Copias de seguridad > ¿Necesito una GPU?"),
            new ExtractiveAnswerer.Passage(
                "The service account cannot see the folder. Share it.",
                "Copias de seguridad > Syncing Google Drive fails with 403"),
            new ExtractiveAnswerer.Passage(
                "Only one Ancla process may write to a data directory at a time.",
                "Copias de seguridad > Syncing Google Drive fails with 403")),
        passages);
  }

  @Test
  void aLineWrappedInsideASentenceContinuesItButAListItemAfterAFullStopDoesNot() {
    assertEquals(
        List.of(
            "Ancla usa k = 60, el valor propuesto en el artículo original de la fusión.",
            "Each failure has a kind and a message, as the status shows.",
            "encrypted: remove the password and sync again."),
        ExtractiveAnswerer.sentences(
            "Ancla usa k = 60, el valor propuesto en\nel artículo original de la fusión.\n"
                + "Each failure has a kind and a message, as the status shows.\n"
                + "encrypted: remove the password and sync again."));
  }

  @Test
  void aSectionsHeadingAnswersForItsSentences() {
    var faq =
        List.of(
            hit(
                "faq.html",
                0,
                0,
                "¿Necesito una clave de OpenAI?\nNo. Sin una API de chat, Ancla da respuestas extractivas."
                    + "\n¿Necesito una GPU?\nNo. Los embeddings se calculan en la CPU con ONNX Runtime."));
    Answer answer = answerer.answer("¿Necesito una GPU?", faq, AnswerListener.NONE);
    assertTrue(
        answer.text().startsWith("No. Los embeddings se calculan en la CPU con ONNX Runtime. [1]"),
        answer.text());
  }

  @Test
  void aNewTopicIsNotAnsweredWithThePreviousQuestionsWords() {
    Answer answer =
        answerer.answer(
            new Conversation(
                List.of(
                    new Conversation.Turn(
                        Conversation.Role.USER, "¿Qué hace la restauración de las copias?")),
                "¿Cuál es la capital de Australia?",
                ""),
            context,
            AnswerListener.NONE);
    assertTrue(answer.text().startsWith("No está en los documentos"), answer.text());
    assertTrue(answer.citations().isEmpty());
  }

  @Test
  void saysItIsNotInTheDocumentsInTheQuestionsLanguage() {
    Answer es =
        answerer.answer(
            "¿Cuál es la receta de la paella valenciana?", context, AnswerListener.NONE);
    assertTrue(es.text().startsWith("No está en los documentos"), es.text());
    assertTrue(es.citations().isEmpty());
    Answer en =
        answerer.answer("What is the recipe for a good paella?", context, AnswerListener.NONE);
    assertTrue(en.text().startsWith("Not in the documents"), en.text());
    Answer none = answerer.answer("What is Ancla?", List.of(), AnswerListener.NONE);
    assertTrue(none.text().startsWith("Not in the documents"), none.text());
  }

  @Test
  void questionLanguageComesFromAccentsAndCommonWords() {
    assertEquals(Language.ES, QuestionLanguage.of("¿Qué formatos admite?", Language.EN));
    assertEquals(
        Language.ES, QuestionLanguage.of("que formatos hay para los documentos", Language.EN));
    assertEquals(Language.EN, QuestionLanguage.of("which formats does it support", Language.ES));
    assertEquals(
        Language.ES, QuestionLanguage.of("S3 SHA-256", Language.ES), "no hint: the configured one");
  }

  @Test
  void referencesAreRenumberedInOrderOfFirstUseAndUnknownOnesDropped() {
    var renumbered = CitationMap.renumber("A [3]. B [1, 3]. C [9]. D [2][2].", context);
    assertEquals("A [1]. B [2][1]. C. D [3][3].", renumbered.text());
    assertEquals(
        List.of("notas.txt", "faq.md", "copias.pdf"),
        renumbered.citations().stream().map(Citation::path).toList());
    assertEquals(List.of(1, 2, 3), renumbered.citations().stream().map(Citation::n).toList());
  }

  static void assertEveryReferenceHasACitation(Answer answer) {
    var matcher = Pattern.compile("\\[(\\d+)\\]").matcher(answer.text());
    int highest = 0;
    while (matcher.find()) {
      int n = Integer.parseInt(matcher.group(1));
      assertTrue(
          n >= 1 && n <= answer.citations().size(),
          "[" + n + "] has no citation: " + answer.text());
      assertTrue(
          n <= highest + 1, "[" + n + "] is not in order of first reference: " + answer.text());
      highest = Math.max(highest, n);
    }
    assertEquals(
        answer.citations().size(), highest, "every citation is referenced: " + answer.text());
    for (int i = 0; i < answer.citations().size(); i++) {
      assertEquals(i + 1, answer.citations().get(i).n());
    }
  }
}
