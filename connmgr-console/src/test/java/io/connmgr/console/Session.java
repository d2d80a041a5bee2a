package io.connmgr.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/** A MockMvc session holding the console's form token, and that token, for action tests. */
record Session(MockHttpSession session, String token) {

  /** Opens the overview as {@code who} and keeps the session and the token its forms carry. */
  static Session open(MockMvc mvc, RequestPostProcessor who) throws Exception {
    MockHttpSession session = new MockHttpSession();
    MvcResult page =
        mvc.perform(get("/connmgr").session(session).with(who))
            .andExpect(status().isOk())
            .andReturn();
    Matcher m =
        Pattern.compile("name=\"_connmgr_csrf\" value=\"([^\"]+)\"")
            .matcher(page.getResponse().getContentAsString());
    assertThat(m.find()).as("the page carries the console's form token").isTrue();
    return new Session(session, m.group(1));
  }

  /** A POST to a console action in this session, with both tokens. */
  MockHttpServletRequestBuilder action(String path, RequestPostProcessor who) {
    return post("/connmgr" + path)
        .session(session)
        .with(who)
        .with(csrf())
        .param("_connmgr_csrf", token);
  }
}
